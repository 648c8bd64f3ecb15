// What a writer needs to know of a study's protocol (timepoint numbers, the study's name), given
// to it by the service that opens the export: export/ reads no service.
import type { Protocol } from '../../domain/protocol';

export interface StudyProtocol {
	study: { code: string; title: string };
	protocolVersionId: number;
	protocol: Protocol;
}

/** The study's active protocol, parsed. */
export type ProtocolLookup = (studyId: number) => Promise<StudyProtocol>;

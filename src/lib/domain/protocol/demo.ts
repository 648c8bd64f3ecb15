import demoProtocolJson from './demo-protocol.json';
import { parseProtocol } from './schema';
import type { Protocol } from './schema';

/** The demo study's protocol definition as written in demo-protocol.json, before parsing. */
export const DEMO_PROTOCOL_JSON: unknown = demoProtocolJson;

/** The demo study MDMA-TRD-01, version 1.0, parsed; throws if the bundled file is broken. */
export function demoProtocol(): Protocol {
	const result = parseProtocol(demoProtocolJson);
	if (!result.ok) {
		const detail = result.errors.map((e) => `${e.path}: ${e.message}`).join('; ');
		throw new Error(`The bundled demo protocol is invalid: ${detail}`);
	}
	return result.protocol;
}

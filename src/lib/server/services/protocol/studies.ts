// Studies and their protocol versions. A protocol is validated by the domain's Zod schema and
// stored whole, with its version; the active version drives schedules and (later) safety rules.
import { parseProtocol, type Protocol } from '../../../domain/protocol';
import { AUDIT_ACTIONS } from '../../audit/actions';
import { sha256Hex } from '../../audit/chain';
import { actorLabel, appendAudit } from '../../audit/log';
import { requireRole } from '../../auth/access';
import type { ServiceContext } from '../../runtime/context';
import type { Executor } from '../../db';
import type { Study } from '../../db/schema';
import type { ProtocolLookup } from '../../export/protocols';
import { writeTransaction } from '../../db/transaction';
import { ConflictError, NotFoundError, ValidationError } from '../../runtime/errors';
import * as repo from '../../repositories/studies';
import { clinicalReadScope } from '../people/clinical-access';
import { continueSdvRebuild, followSdvSettings } from '../monitoring/sdv-summary';

export interface StudyWithProtocol {
	study: Study;
	protocolVersionId: number;
	protocol: Protocol;
}

/**
 * Parsed protocols by their stored text: the same text parses the same in any database, so the
 * cache cannot hand one database's protocol to another (an id could). Kept small: a site runs a
 * handful of versions.
 */
const parsedByText = new Map<string, Protocol>();
const PARSED_KEPT = 32;

/**
 * The text last looked up, and its protocol: every save reads its study's definition (about 11 KB)
 * and a map lookup hashes the whole new string each time (about 15 µs), where comparing it with
 * the last one is a memcmp.
 */
let last: { text: string; protocol: Protocol } | undefined;

/** A stored version's definition, parsed (once per distinct text, kept for later calls). */
export function parseStored(id: number, definition: string): Protocol {
	if (last?.text === definition) return last.protocol;
	let protocol = parsedByText.get(definition);
	if (!protocol) {
		const parsed = parseProtocol(JSON.parse(definition));
		if (!parsed.ok) throw new Error(`Stored protocol ${id} no longer parses`);
		protocol = parsed.protocol;
		if (parsedByText.size >= PARSED_KEPT) parsedByText.clear();
		parsedByText.set(definition, protocol);
	}
	last = { text: definition, protocol };
	return protocol;
}

/** The study's active protocol, parsed. */
export async function activeProtocol(db: Executor, studyId: number): Promise<StudyWithProtocol> {
	const study = await repo.findStudyById(db, studyId);
	const row = study ? await repo.findActiveProtocol(db, studyId) : undefined;
	if (!study || !row) throw new NotFoundError('Study protocol');
	return { study, protocolVersionId: row.id, protocol: parseStored(row.id, row.definition) };
}

/**
 * The study's active protocol without the study row: one statement (the version joined to its
 * study), for the writes that need only the rules. The same refusal when either is missing.
 */
export async function activeProtocolOnly(
	db: Executor,
	studyId: number
): Promise<Omit<StudyWithProtocol, 'study'>> {
	const row = await repo.findActiveDefinition(db, studyId);
	if (!row) throw new NotFoundError('Study protocol');
	return { protocolVersionId: row.id, protocol: parseStored(row.id, row.definition) };
}

/** activeProtocol over one database, for the export writers. */
export const protocolLookup =
	(db: Executor): ProtocolLookup =>
	(studyId) =>
		activeProtocol(db, studyId);

export async function listStudies(ctx: ServiceContext): Promise<Study[]> {
	clinicalReadScope(ctx.actor);
	return repo.listStudies(ctx.db);
}

/**
 * Loads a protocol version (admin). The study is created from the protocol's study code when new;
 * the first version of a study becomes active at once.
 */
export async function loadProtocol(
	ctx: ServiceContext,
	definition: unknown
): Promise<StudyWithProtocol> {
	requireRole(ctx.actor, 'admin');
	const parsed = parseProtocol(definition);
	if (!parsed.ok) {
		const fieldErrors: Record<string, string[]> = {};
		for (const e of parsed.errors) (fieldErrors[e.path] ??= []).push(e.message);
		throw new ValidationError(fieldErrors, 'The protocol has errors.');
	}
	const protocol = parsed.protocol;
	const at = ctx.now().toISOString();
	let sdvRebuild = false;
	const loaded = await writeTransaction(ctx.db, async (trx) => {
		let study = await repo.findStudyByCode(trx, protocol.studyCode);
		if (!study) {
			study = await repo.insertStudy(trx, {
				code: protocol.studyCode,
				title: protocol.title,
				created_at: at
			});
			await appendAudit(trx, ctx, {
				action: AUDIT_ACTIONS.studyCreated,
				entityType: 'study',
				entityId: study.id,
				newValues: { code: study.code, title: study.title }
			});
		}
		if (await repo.findProtocolVersion(trx, study.id, protocol.version)) {
			throw new ConflictError('This protocol version is loaded already.', {
				version: [
					`Version ${protocol.version} of ${protocol.studyCode} exists; give the new one another version.`
				]
			});
		}
		const text = JSON.stringify(definition);
		const row = await repo.insertProtocolVersion(trx, {
			study_id: study.id,
			version: protocol.version,
			definition: text,
			loaded_at: at,
			loaded_by: actorLabel(ctx.actor).label
		});
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.protocolLoaded,
			entityType: 'protocol_version',
			entityId: row.id,
			newValues: {
				study: study.code,
				version: protocol.version,
				definitionSha256: sha256Hex(text)
			}
		});
		const active = await repo.findActiveProtocol(trx, study.id);
		if (!active) {
			await repo.activateProtocolVersion(trx, study.id, row.id, at);
			sdvRebuild = await followSdvSettings(trx, study.id, null);
			await appendAudit(trx, ctx, {
				action: AUDIT_ACTIONS.protocolActivated,
				entityType: 'protocol_version',
				entityId: row.id,
				newValues: { study: study.code, version: protocol.version }
			});
		}
		return { study, protocolVersionId: row.id, protocol };
	});
	// The study's SDV rows, after commit (a window a transaction; none for a new study's records).
	if (sdvRebuild) await continueSdvRebuild(ctx.db, loaded.study.id);
	return loaded;
}

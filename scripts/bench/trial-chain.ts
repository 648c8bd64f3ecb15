// The copied audit rows of the bench's synthetic trial (build-trial.ts): each copy's rows are
// the templates' rows with the ids, site and subject codes in their payloads moved to the copy's,
// chained in order by the audit module's own chainHash. Shared by the builder, which inserts the
// rows, and trial-chain-worker.ts, which computes their hashes on the second core meanwhile.
import { chainHash, type ChainedFields } from '../../src/lib/server/audit/chain';

/** Clinical tables copied with a participant, parents first. */
export const TABLES = [
	'participant',
	'visit',
	'dosing_session',
	'vital_reading',
	'adverse_event',
	'scale_administration',
	'signature',
	'flag'
] as const;
export type Table = (typeof TABLES)[number];

/** The records a flag can be raised on (its source_type). */
export const SOURCES = [
	'vital_reading',
	'dosing_session',
	'adverse_event',
	'scale_administration'
] as const;

/** Payload keys naming another record, and the table whose id offset they take. */
const PAYLOAD_IDS: Record<string, Table> = {
	participantId: 'participant',
	participant_id: 'participant',
	visitId: 'visit',
	visit_id: 'visit',
	dosingSessionId: 'dosing_session',
	dosing_session_id: 'dosing_session',
	session: 'dosing_session'
};

/** What a copy puts in one hole of a template payload. */
type Hole =
	| { kind: 'id'; table: Table; value: number }
	/** A flag's source as its trail names it: `vital_reading:12`. */
	| { kind: 'source'; table: Table; value: number }
	| { kind: 'site' }
	| { kind: 'subject'; participant: number };

/** A copy's values, by which the holes are filled. */
export interface CopyParams {
	k: number;
	site: number;
	siteCode: string;
	codeBase: number;
}

/**
 * A template's audit payload, parsed once: the JSON text of the copied payload is the template's
 * text re-serialised with the ids it names moved by the copy's offsets (a raised flag's `source`,
 * `vital_reading:12`, too), and its site and subject code the copy's (so `audit verify` finds each copied record matching its trail). The text
 * between the holes is the same for every copy, so it is kept as parts and only the holes are
 * written per copy.
 */
export interface PayloadTemplate {
	parts: string[];
	holes: Hole[];
}

const HOLE = (i: number) => `\u0001vigil-bench-hole-${i}\u0001`;

function payloadTemplate(text: string | null, row: ChainedFields): PayloadTemplate | null {
	if (text === null) return null;
	const payload = JSON.parse(text) as unknown;
	if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
		return { parts: [text], holes: [] };
	}
	const out: Record<string, unknown> = { ...(payload as Record<string, unknown>) };
	const holes: Hole[] = [];
	for (const [key, value] of Object.entries(out)) {
		const table = PAYLOAD_IDS[key];
		let hole: Hole | null = null;
		const source =
			key === 'source' && row.entity_type === 'flag' && typeof value === 'string'
				? /^([a-z_]+):(\d+)$/.exec(value)
				: null;
		if (table && typeof value === 'number') hole = { kind: 'id', table, value };
		else if (source && (SOURCES as readonly string[]).includes(source[1]!)) {
			hole = { kind: 'source', table: source[1] as Table, value: Number(source[2]) };
		} else if ((key === 'siteId' || key === 'site_id') && typeof value === 'number') {
			hole = { kind: 'site' };
		} else if (
			(key === 'subjectCode' || key === 'subject_code') &&
			row.entity_type === 'participant' &&
			row.entity_id !== null
		) {
			hole = { kind: 'subject', participant: Number(row.entity_id) };
		}
		if (hole) {
			out[key] = HOLE(holes.length);
			holes.push(hole);
		}
	}
	if (holes.length === 0) return { parts: [JSON.stringify(out)], holes };
	const parts = JSON.stringify(out).split(/"\\u0001vigil-bench-hole-\d+\\u0001"/);
	if (parts.length !== holes.length + 1) throw new Error(`An audit payload held a hole's marker`);
	return { parts, holes };
}

function fillPayload(
	template: PayloadTemplate | null,
	copy: CopyParams,
	max: Record<Table, number>
): string | null {
	if (template === null) return null;
	const { parts, holes } = template;
	let out = parts[0]!;
	for (let i = 0; i < holes.length; i++) {
		const hole = holes[i]!;
		if (hole.kind === 'id') out += String(hole.value + copy.k * max[hole.table]);
		else if (hole.kind === 'source') {
			out += `"${hole.table}:${hole.value + copy.k * max[hole.table]}"`;
		} else if (hole.kind === 'site') out += String(copy.site);
		else {
			const code = `${copy.siteCode}-${String(copy.codeBase + hole.participant).padStart(4, '0')}`;
			out += JSON.stringify(code);
		}
		out += parts[i + 1]!;
	}
	return out;
}

/** A template audit row, its payloads parsed once, and the table its entity id moves with. */
export interface AuditTemplate {
	row: ChainedFields;
	old: PayloadTemplate | null;
	new: PayloadTemplate | null;
	entityTable: Table | null;
	entityId: number | null;
}

export function auditTemplate(row: ChainedFields): AuditTemplate {
	const entityTable = (TABLES as readonly string[]).includes(row.entity_type)
		? (row.entity_type as Table)
		: null;
	return {
		row,
		old: payloadTemplate(row.old_values, row),
		new: payloadTemplate(row.new_values, row),
		entityTable,
		entityId: row.entity_id === null ? null : Number(row.entity_id)
	};
}

/** The copy's row of a template audit row: the fields its hash covers. */
export function copiedAuditFields(
	t: AuditTemplate,
	copy: CopyParams,
	max: Record<Table, number>,
	seq: number,
	prev: string
): ChainedFields {
	const { row } = t;
	const offset = t.entityTable ? copy.k * max[t.entityTable] : 0;
	return {
		seq,
		at: row.at,
		actor_id: row.actor_id,
		actor_label: row.actor_label,
		actor_role: row.actor_role,
		site_id: row.site_id === null ? null : copy.site,
		action: row.action,
		entity_type: row.entity_type,
		entity_id: t.entityId === null ? null : String(t.entityId + offset),
		old_values: fillPayload(t.old, copy, max),
		new_values: fillPayload(t.new, copy, max),
		reason: row.reason,
		request_id: row.request_id,
		prev_hash: prev
	};
}

/** What the chain needs to run over a list of copies: the same for the builder and its worker. */
export interface ChainJob {
	rows: ChainedFields[];
	max: Record<Table, number>;
	plan: CopyParams[];
	/** The head before the copies. */
	seq: number;
	hash: string;
	/** Copies whose hashes come back in one message. */
	copiesPerBatch: number;
}

/**
 * The hashes of the copies' rows, one string of 64-character hashes per batch of copies, in
 * order: chainHash over each copied row after the one before it.
 */
export function* chainHashes(job: ChainJob): Generator<string> {
	const templates = job.rows.map(auditTemplate);
	let seq = job.seq;
	let prev = job.hash;
	for (let from = 0; from < job.plan.length; from += job.copiesPerBatch) {
		const out: string[] = [];
		for (const copy of job.plan.slice(from, from + job.copiesPerBatch)) {
			for (const t of templates) {
				seq += 1;
				prev = chainHash(copiedAuditFields(t, copy, job.max, seq, prev));
				out.push(prev);
			}
		}
		yield out.join('');
	}
}

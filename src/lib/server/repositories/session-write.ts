// What a write to a dosing session reads before it writes, in one statement: the session, its
// participant and site, the study's active protocol, whether the study is locked or the casebook
// frozen, whether the session carries a standing signature, and the audit chain's head. Six
// statements before, each a round through the driver on every save (#10). Portable: joins, aliases
// and EXISTS only.
import { sql } from 'kysely';
import type { Executor } from '../db';
import type { DosingSession, Participant, Site } from '../db/schema';
import { compiledOnce } from '../db/prepared';

/**
 * Every column of a table, in the table's order (as `select *` gives them, so the rows built here
 * have the same keys in the same order); the type check fails when the table gains a column.
 */
const columnsOf =
	<T>() =>
	<const L extends readonly (keyof T & string)[]>(
		list: L & ([Exclude<keyof T, L[number]>] extends [never] ? unknown : { missing: keyof T })
	): L =>
		list;

const SESSION = columnsOf<DosingSession>()([
	'id',
	'participant_id',
	'site_id',
	'visit_id',
	'session_number',
	't0',
	'initial_dose_mg',
	'supplemental_dose_mg',
	'supplemental_at',
	'supplemental_not_given_reason',
	'supplemental_override_reason',
	'ended_at',
	'version',
	'created_at',
	'created_by',
	'updated_at',
	'updated_by',
	'entered_in_error_at',
	'entered_in_error_reason'
]);

const PARTICIPANT = columnsOf<Participant>()([
	'id',
	'study_id',
	'site_id',
	'subject_code',
	'status',
	'status_reason',
	'sex',
	'birth_year',
	'dose_group',
	'enrolled_on',
	'version',
	'created_at',
	'created_by',
	'updated_at',
	'updated_by',
	'entered_in_error_at',
	'entered_in_error_reason'
]);

const SITE = columnsOf<Site>()(['id', 'code', 'name', 'timezone', 'created_at', 'country']);

/** Each table's columns under a prefix of its own, so that none shadows another in the row. */
const aliased = (table: string, prefix: string, columns: readonly string[]) =>
	columns.map((c) => sql.ref(`${table}.${c}`).as(`${prefix}${c}`));

const forWrite = compiledOnce((db, sessionId: number) =>
	db
		.selectFrom('dosing_session as ds')
		.innerJoin('participant as p', 'p.id', 'ds.participant_id')
		.innerJoin('site as si', 'si.id', 'ds.site_id')
		// The active version of a study that exists (as activeOfStudy reads it).
		.leftJoin('protocol_version as pv', (j) =>
			j.onRef('pv.study_id', '=', 'p.study_id').on('pv.is_active', '=', 1)
		)
		.leftJoin('study as st', 'st.id', 'pv.study_id')
		// The audit chain's head, which the write's first append would read next (audit/log.ts).
		.leftJoin('audit_head as ah', (j) => j.on('ah.id', '=', 1))
		.select((eb) => [
			...aliased('ds', 's_', SESSION),
			...aliased('p', 'p_', PARTICIPANT),
			...aliased('si', 'si_', SITE),
			'pv.id as pv_id',
			'pv.definition as pv_definition',
			'st.id as st_id',
			'ah.seq as ah_seq',
			'ah.hash as ah_hash',
			eb
				.exists(
					eb
						.selectFrom('study_lock')
						.select('study_lock.id')
						.whereRef('study_lock.study_id', '=', 'p.study_id')
						.where('study_lock.unlocked_at', 'is', null)
				)
				.as('locked'),
			eb
				.exists(
					eb
						.selectFrom('casebook_freeze')
						.select('casebook_freeze.id')
						.whereRef('casebook_freeze.participant_id', '=', 'p.id')
						.where('casebook_freeze.unfrozen_at', 'is', null)
				)
				.as('frozen'),
			eb
				.exists(
					eb
						.selectFrom('signature')
						.select('signature.id')
						.where('signature.entity_type', '=', 'dosing_session')
						.whereRef('signature.entity_id', '=', 'ds.id')
						.where('signature.voided_at', 'is', null)
				)
				.as('signed')
		])
		.where('ds.id', '=', sessionId)
);

export interface SessionForWrite {
	session: DosingSession;
	participant: Participant;
	site: Site;
	/** The study's active protocol version, or null when the study has none. */
	protocol: { id: number; definition: string } | null;
	locked: boolean;
	frozen: boolean;
	/** The session has a signature not voided yet (a change to it must void it). */
	signed: boolean;
	/** The audit chain's head as stored (audit_head), or null before the first entry. */
	head: { seq: number; hash: string } | null;
}

function pick<T>(row: Record<string, unknown>, prefix: string, columns: readonly string[]): T {
	const out: Record<string, unknown> = {};
	for (const c of columns) out[c] = row[`${prefix}${c}`];
	return out as T;
}

/** Undefined when there is no such session. */
export async function findSessionForWrite(
	db: Executor,
	sessionId: number
): Promise<SessionForWrite | undefined> {
	const [row] = (await forWrite(db, sessionId)) as Array<Record<string, unknown>>;
	if (!row) return undefined;
	return {
		session: pick<DosingSession>(row, 's_', SESSION),
		participant: pick<Participant>(row, 'p_', PARTICIPANT),
		site: pick<Site>(row, 'si_', SITE),
		protocol:
			row.pv_id === null || row.st_id === null
				? null
				: { id: row.pv_id as number, definition: row.pv_definition as string },
		// SQLite answers 1 or 0, PostgreSQL true or false.
		locked: Boolean(row.locked),
		frozen: Boolean(row.frozen),
		signed: Boolean(row.signed),
		head:
			row.ah_seq === null || row.ah_seq === undefined
				? null
				: { seq: Number(row.ah_seq), hash: row.ah_hash as string }
	};
}

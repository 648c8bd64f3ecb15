// The data must match its trail: every clinical record's current values are held against what
// the audit trail says they are (the latest audited value of each field, replaying the record's
// entries in order). A direct edit of a clinical table that leaves the trail alone shows up here
// with the record and the field; a row with no audited creation, or an audited record whose row
// is gone, too.
import type { Executor } from '../db';
import type { AuditEntityType } from './actions';
import { allocationAgainstTrail, type AllocationTable } from './allocation-vs-trail';
import { canonicalJson } from './chain';

/**
 * Audited tables checked column by column; whether each of their rows must have its own audited
 * creation (visits are scheduled in an entry on the participant, so only their later changes are
 * per visit); and the actions that state the record's values (others on the same record, such as
 * a source data verification or a freeze, describe something else). The allocation list and the
 * randomisations have a check of their own (allocation-vs-trail.ts); the README's "Audit trail"
 * section lists which audited tables each check covers and what neither does.
 */
const CLINICAL_TABLES = {
	participant: { createdInTrail: true, actions: ['participant.'] },
	visit: { createdInTrail: false, actions: ['visit.'] },
	dosing_session: { createdInTrail: true, actions: ['dosing_session.'] },
	vital_reading: { createdInTrail: true, actions: ['vitals.'] },
	adverse_event: { createdInTrail: true, actions: ['adverse_event.'] },
	// A participant's own ePRO answers are created by 'epro.submit'.
	scale_administration: { createdInTrail: true, actions: ['scale.', 'epro.submit'] },
	protocol_deviation: { createdInTrail: true, actions: ['protocol_deviation.'] },
	concomitant_medication: { createdInTrail: true, actions: ['conmed.'] },
	consent_form_version: { createdInTrail: true, actions: ['consent.form_version'] },
	consent_record: { createdInTrail: true, actions: ['consent.'] },
	blinding_guess: { createdInTrail: true, actions: ['blinding_guess.'] },
	flag: { createdInTrail: true, actions: ['flag.'] },
	signature: { createdInTrail: true, actions: ['signature.sign', 'signature.void'] },
	data_query: { createdInTrail: true, actions: ['query.'] },
	epro_link: { createdInTrail: true, actions: ['epro.link_issue'] },
	on_call: { createdInTrail: true, actions: ['on_call.add'] },
	// Who may do what: a role or a disabling changed in SQL is an escalation of privilege.
	user: {
		createdInTrail: true,
		actions: ['user.create', 'user.update', 'user.disable', 'user.enable']
	},
	site: { createdInTrail: true, actions: ['site.'] },
	study: { createdInTrail: true, actions: ['study.create'] },
	protocol_version: { createdInTrail: true, actions: ['protocol.load', 'protocol.activate'] }
} as const satisfies Record<string, { createdInTrail: boolean; actions: readonly string[] }>;
export type ClinicalTable = keyof typeof CLINICAL_TABLES;

/**
 * Every record type the trail names and how `audit verify` holds it against the database:
 * 'columns' (the table above), 'allocation' (allocation-vs-trail.ts), or why it is not held.
 */
export const TRAIL_COVERAGE: Record<AuditEntityType, 'columns' | 'allocation' | string> = {
	user: 'columns',
	site: 'columns',
	study: 'columns',
	protocol_version: 'columns',
	participant: 'columns',
	visit: 'columns',
	dosing_session: 'columns',
	vital_reading: 'columns',
	adverse_event: 'columns',
	scale_administration: 'columns',
	flag: 'columns',
	signature: 'columns',
	consent_form_version: 'columns',
	consent_record: 'columns',
	concomitant_medication: 'columns',
	protocol_deviation: 'columns',
	blinding_guess: 'columns',
	data_query: 'columns',
	epro_link: 'columns',
	on_call: 'columns',
	allocation_list: 'allocation',
	api_token: 'not held: a token is a credential, not study data; its hash is never audited',
	export: 'not held: an export is an event (who took what), it leaves no row to compare'
};
export const CLINICAL_TABLE_NAMES = Object.keys(CLINICAL_TABLES) as ClinicalTable[];

/**
 * Audited names that are not the column's own (the rest are the column in camelCase or as is);
 * null: the trail names it for people (a subject or visit code, a source record), not the column.
 */
const ALIASES: Partial<Record<ClinicalTable, Record<string, string | null>>> = {
	vital_reading: { session: 'dosing_session_id', timepoint: 'timepoint_label' },
	protocol_deviation: { source: null },
	flag: {
		rule: 'rule_id',
		values: 'trigger_values',
		source: null,
		category: 'action_category',
		text: 'action_text'
	},
	consent_record: { obtainedBy: 'obtained_by_name', witness: 'witness_name', formVersion: null },
	// A step's value and text are the step's own (data_query_step), not the query's columns.
	data_query: { value: null, text: null },
	// The study's code, for people; the row's own id.
	protocol_version: { study: null, protocolVersionId: null }
};

export interface DataMismatch {
	table: ClinicalTable | AllocationTable;
	id: string;
	/** The column, or null for the record as a whole (no trail, or no row). */
	field: string | null;
	trail: unknown;
	data: unknown;
	message: string;
}

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function columnFor(table: ClinicalTable, key: string, columns: Set<string>): string | null {
	const alias = ALIASES[table]?.[key];
	if (alias !== undefined) return alias;
	if (columns.has(key)) return key;
	return columns.has(snake(key)) ? snake(key) : null;
}

/** Whether a stored value is what the trail recorded, across SQLite's and PostgreSQL's types. */
export function sameValue(audited: unknown, stored: unknown): boolean {
	if (audited === null || audited === undefined) return stored === null || stored === undefined;
	if (stored === null || stored === undefined) return false;
	if (typeof audited === 'boolean') return Number(stored) === (audited ? 1 : 0);
	if (typeof audited === 'number') return Number(stored) === audited;
	if (typeof audited === 'object') {
		const parsed = typeof stored === 'string' ? safeParse(stored) : stored;
		return canonicalJson(parsed) === canonicalJson(audited);
	}
	const text = String(audited);
	if (String(stored) === text) return true;
	// The same instant written with another offset (a time typed at the site, kept in UTC).
	return /T\d\d:\d\d/.test(text) && Date.parse(text) === Date.parse(String(stored));
}

function safeParse(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

type Row = Record<string, unknown>;

const isPlainObject = (v: unknown): v is Row =>
	typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Replays one table's trail: for each record, the latest audited value of each column. A change
 * to part of an object column (a scale's changed answers) is merged into the value before it.
 */
export function replay(
	table: ClinicalTable,
	events: Array<{ entity_id: string | null; action: string; new_values: string | null }>,
	columns: Set<string>
): Map<string, Map<string, unknown>> {
	const states = new Map<string, Map<string, unknown>>();
	for (const e of events) {
		const { actions } = CLINICAL_TABLES[table];
		if (e.entity_id === null || !actions.some((a) => e.action.startsWith(a))) continue;
		const state = states.get(e.entity_id) ?? new Map<string, unknown>();
		states.set(e.entity_id, state);
		const values = e.new_values ? (safeParse(e.new_values) as Row | null) : null;
		if (!values || typeof values !== 'object') continue;
		for (const [key, value] of Object.entries(values)) {
			const column = columnFor(table, key, columns);
			if (!column || column === 'id') continue;
			const before = state.get(column);
			state.set(
				column,
				isPlainObject(before) && isPlainObject(value) ? { ...before, ...value } : value
			);
		}
	}
	return states;
}

/** Holds each row of one table against its replayed trail. */
export function compareTable(
	table: ClinicalTable,
	rows: Row[],
	states: Map<string, Map<string, unknown>>
): DataMismatch[] {
	const found: DataMismatch[] = [];
	const ids = new Set<string>();
	for (const row of rows) {
		const id = String(row.id);
		ids.add(id);
		const state = states.get(id);
		if (!state) {
			if (CLINICAL_TABLES[table].createdInTrail) {
				found.push({
					table,
					id,
					field: null,
					trail: null,
					data: 'row',
					message: `${table} ${id} is in the database but has no entry in the audit trail`
				});
			}
			continue;
		}
		for (const [field, audited] of state) {
			if (!(field in row) || sameValue(audited, row[field])) continue;
			found.push({
				table,
				id,
				field,
				trail: audited,
				data: row[field],
				message: `${table} ${id} ${field} is ${JSON.stringify(row[field])} but the audit trail says ${JSON.stringify(audited)}`
			});
		}
	}
	for (const id of states.keys()) {
		if (!ids.has(id) && CLINICAL_TABLES[table].createdInTrail) {
			found.push({
				table,
				id,
				field: null,
				trail: 'row',
				data: null,
				message: `${table} ${id} is in the audit trail but its row is gone from the database`
			});
		}
	}
	return found;
}

/** Every audited table against the trail. Reads each table and its audit entries once. */
export async function dataAgainstTrail(db: Executor): Promise<DataMismatch[]> {
	const found: DataMismatch[] = [];
	for (const table of CLINICAL_TABLE_NAMES) {
		const rows = (await db.selectFrom(table).selectAll().execute()) as Row[];
		const events = await db
			.selectFrom('audit_event')
			.select(['entity_id', 'action', 'new_values'])
			.where('entity_type', '=', table)
			.orderBy('seq')
			.execute();
		const columns = new Set(rows[0] ? Object.keys(rows[0]) : []);
		if (rows.length === 0 && events.length === 0) continue;
		found.push(...compareTable(table, rows, replay(table, events, columns)));
	}
	found.push(...(await allocationAgainstTrail(db)));
	return found;
}

// The data must match its trail: every clinical record's current values are held against what
// the audit trail says they are (the latest audited value of each field, replaying the record's
// entries in order). A direct edit of a clinical table that leaves the trail alone shows up here
// with the record and the field; a row with no audited creation, or an audited record whose row
// is gone, too.
import { sql, type SqlBool } from 'kysely';
import type { Executor } from '../db';
import type { AuditEntityType } from './actions';
import { allocationAgainstTrail, type AllocationTable } from './allocation-vs-trail';
import { canonicalJson } from './chain';
import { EVENT_TABLE_NAMES, EVENT_TABLES, TrailFeeds, type EventTable } from './trail-feeds';
import { userSitesAgainstTrail } from './user-sites-vs-trail';
import { secondFactorAgainstTrail } from './second-factor-vs-trail';
import { Digest, PRESENT, Present, shownStored } from './trail-values';

/**
 * Audited tables checked column by column; whether each of their rows must have its own audited
 * creation (visits are scheduled in an entry on the participant, so only their later changes are
 * per visit); and the actions that state the record's values (others on the same record, such as
 * a source data verification or a freeze, describe something else). The allocation list and the
 * randomisations have a check of their own (allocation-vs-trail.ts), tables only other records'
 * entries state another (trail-feeds.ts); table-coverage.ts lists every table; the README's "Audit trail"
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
	// Its use (the answer's entry names the link) is fed by trail-feeds.ts.
	epro_link: { createdInTrail: true, actions: ['epro.link_issue', 'epro.link_revoke'] },
	on_call: { createdInTrail: true, actions: ['on_call.add', 'on_call.remove'] },
	// Before user: a user's sites are named by code in older entries.
	site: { createdInTrail: true, actions: ['site.'] },
	// Who may do what: a role or a disabling changed in SQL is an escalation of privilege; the
	// password hash is held against the SHA-256 of it its entries carry (DIGESTS).
	user: {
		createdInTrail: true,
		actions: [
			'user.create',
			'user.update',
			'user.disable',
			'user.enable',
			'user.password_change',
			'user.password_reset'
		]
	},
	// After user: the tokens a user's entry revoked are fed from the user's trail.
	api_token: { createdInTrail: true, actions: ['api_token.create', 'api_token.revoke'] },
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
	api_token: 'columns',
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

/**
 * Secrets and long texts the trail holds as a SHA-256 of the column (trail-values.ts Digest):
 * a password or token hash never enters the trail, and a protocol's definition is stored once.
 * Compared from the first entry that carries the digest (entries before 2026-12-09 do not).
 */
const DIGESTS: Partial<Record<ClinicalTable, Record<string, string>>> = {
	user: { passwordHashSha256: 'password_hash' },
	api_token: { tokenHashSha256: 'token_hash' },
	protocol_version: { definitionSha256: 'definition' }
};

/**
 * What an action implies about a column its payload does not name, in every trail old or new: a
 * shift added is not removed, and its removal removed it (when: from the payload, since
 * 2026-12-09); a link issued is unused (its use is fed by trail-feeds.ts, which wins).
 */
const IMPLIED: Partial<Record<ClinicalTable, Record<string, Record<string, unknown>>>> = {
	on_call: { 'on_call.add': { removed_at: null }, 'on_call.remove': { removed_at: PRESENT } },
	epro_link: { 'epro.link_issue': { used_at: null, scale_administration_id: null } }
};

export interface DataMismatch {
	table: ClinicalTable | AllocationTable | EventTable | 'user_site' | 'user_totp' | 'recovery_code';
	id: string;
	/** The column, or null for the record as a whole (no trail, or no row). */
	field: string | null;
	trail: unknown;
	data: unknown;
	message: string;
}

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function columnFor(table: ClinicalTable, key: string, columns: Set<string>): string | null {
	const digest = DIGESTS[table]?.[key];
	if (digest !== undefined) return digest;
	const alias = ALIASES[table]?.[key];
	if (alias !== undefined) return alias;
	if (columns.has(key)) return key;
	return columns.has(snake(key)) ? snake(key) : null;
}

/** Whether a stored value is what the trail recorded, across SQLite's and PostgreSQL's types. */
export function sameValue(audited: unknown, stored: unknown): boolean {
	if (audited === null || audited === undefined) return stored === null || stored === undefined;
	if (audited instanceof Digest || audited instanceof Present) return audited.matches(stored);
	if (stored === null || stored === undefined) return false;
	if (typeof audited === 'boolean') return Number(stored) === (audited ? 1 : 0);
	if (typeof audited === 'number') return Number(stored) === audited;
	if (typeof audited === 'object') {
		const parsed = typeof stored === 'string' ? safeParse(stored) : stored;
		return jsonEqual(parsed, audited) ?? canonicalJson(parsed) === canonicalJson(audited);
	}
	const text = String(audited);
	if (String(stored) === text) return true;
	// The same instant written with another offset (a time typed at the site, kept in UTC).
	return /T\d\d:\d\d/.test(text) && Date.parse(text) === Date.parse(String(stored));
}

/**
 * Whether two values have the same canonical JSON (chain.ts canonicalJson), compared in place
 * instead of written out twice: null and undefined alike, object members that are undefined
 * left out, keys in any order. null when either is not plain JSON (a Date, a non-finite number,
 * a class instance, a `__proto__` key): the caller then compares the canonical texts.
 */
export function jsonEqual(a: unknown, b: unknown): boolean | null {
	return plainJson(a) && plainJson(b) ? sameJson(a, b) : null;
}

function isPlainRecord(v: unknown): v is Row {
	if (typeof v !== 'object' || v === null) return false;
	const proto = Object.getPrototypeOf(v) as unknown;
	return proto === Object.prototype || proto === null;
}

/** JSON all the way down, which canonicalJson writes as it is. */
function plainJson(v: unknown): boolean {
	if (v === null || v === undefined || typeof v === 'string' || typeof v === 'boolean') return true;
	if (typeof v === 'number') return Number.isFinite(v);
	if (Array.isArray(v)) return v.every(plainJson);
	if (!isPlainRecord(v)) return false;
	for (const key in v) if (key === '__proto__' || !plainJson(v[key])) return false;
	return true;
}

/** Equality of two plain JSON values as their canonical JSON sees it. */
function sameJson(a: unknown, b: unknown): boolean {
	if (a === null || a === undefined) return b === null || b === undefined;
	if (b === null || b === undefined || typeof a !== typeof b) return false;
	if (typeof a !== 'object') return a === b;
	if (Array.isArray(a)) {
		if (!Array.isArray(b) || a.length !== b.length) return false;
		for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
		return true;
	}
	if (Array.isArray(b)) return false;
	const x = a as Row;
	const y = b as Row;
	let members = 0;
	for (const key in x) {
		if (x[key] === undefined) continue;
		members++;
		if (y[key] === undefined || !sameJson(x[key], y[key])) return false;
	}
	for (const key in y) if (y[key] !== undefined) members--;
	return members === 0;
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

/** Where each audited name of a table's trail is stored (columnFor, asked once per name). */
class ColumnMap {
	readonly #table: ClinicalTable;
	readonly #columns: Set<string>;
	readonly #known = new Map<string, string | null>();
	constructor(table: ClinicalTable, columns: Set<string>) {
		this.#table = table;
		this.#columns = columns;
	}
	of(key: string): string | null {
		let column = this.#known.get(key);
		if (column === undefined) {
			column = columnFor(this.#table, key, this.#columns);
			this.#known.set(key, column);
		}
		return column;
	}
}

type State = Map<string, unknown>;

/** One event replayed into the states of its table's records. */
function replayEvent(
	table: ClinicalTable,
	e: { entity_id: string | null; action: string; new_values: string | null },
	columns: ColumnMap,
	states: Map<string, State>
): void {
	const { actions } = CLINICAL_TABLES[table];
	if (e.entity_id === null || !actions.some((a) => e.action.startsWith(a))) return;
	let state = states.get(e.entity_id);
	if (!state) states.set(e.entity_id, (state = new Map()));
	const implied = IMPLIED[table]?.[e.action];
	for (const column in implied) {
		const value = implied[column];
		if (value === PRESENT || !state.has(column)) state.set(column, value);
	}
	const values = e.new_values ? (safeParse(e.new_values) as Row | null) : null;
	if (!values || typeof values !== 'object') return;
	for (const key in values) {
		const value = values[key];
		const column = columns.of(key);
		if (!column || column === 'id') continue;
		const before = state.get(column);
		if (DIGESTS[table]?.[key] !== undefined) {
			state.set(column, typeof value === 'string' ? new Digest(value) : value);
			continue;
		}
		state.set(
			column,
			isPlainObject(before) && isPlainObject(value) ? { ...before, ...value } : value
		);
	}
}

/**
 * Replays one table's trail: for each record, the latest audited value of each column. A change
 * to part of an object column (a scale's changed answers) is merged into the value before it.
 */
export function replay(
	table: ClinicalTable,
	events: Iterable<{ entity_id: string | null; action: string; new_values: string | null }>,
	columns: Set<string>
): Map<string, Map<string, unknown>> {
	const states = new Map<string, State>();
	const map = new ColumnMap(table, columns);
	for (const e of events) replayEvent(table, e, map, states);
	return states;
}

/** A row in the database with no entry in the audit trail (written around the services). */
function rowWithoutEntry(table: DataMismatch['table'], id: string): DataMismatch {
	return {
		table,
		id,
		field: null,
		trail: null,
		data: 'row',
		message: `${table} ${id} is in the database but has no entry in the audit trail`
	};
}

/** One row against its replayed state; the state is taken out of `states` once compared. */
function compareRow(
	table: ClinicalTable,
	row: Row,
	states: Map<string, State>,
	found: DataMismatch[]
): void {
	const id = String(row.id);
	const state = states.get(id);
	if (!state) {
		if (CLINICAL_TABLES[table].createdInTrail) {
			found.push(rowWithoutEntry(table, id));
		}
		return;
	}
	states.delete(id);
	compareFields(table, id, state, row, found);
}

/** Each field the trail states against the row's; a digest is shown as a digest of both. */
function compareFields(
	table: DataMismatch['table'],
	id: string,
	state: State,
	row: Row,
	found: DataMismatch[]
): void {
	for (const [field, audited] of state) {
		if (!(field in row) || sameValue(audited, row[field])) continue;
		const data = shownStored(audited, row[field]);
		found.push({
			table,
			id,
			field,
			trail: audited instanceof Digest || audited instanceof Present ? audited.toJSON() : audited,
			data,
			message: `${table} ${id} ${field} is ${JSON.stringify(data)} but the audit trail says ${JSON.stringify(audited)}`
		});
	}
}

/** Records the trail has and the table no longer does (the states no row took out). */
function goneRows(table: ClinicalTable, states: Map<string, State>, found: DataMismatch[]): void {
	if (!CLINICAL_TABLES[table].createdInTrail) return;
	for (const id of states.keys()) {
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

/** Holds each row of one table against its replayed trail. */
export function compareTable(
	table: ClinicalTable,
	rows: Row[],
	states: Map<string, Map<string, unknown>>
): DataMismatch[] {
	const found: DataMismatch[] = [];
	const left = new Map(states);
	for (const row of rows) compareRow(table, row, left, found);
	goneRows(table, left, found);
	return found;
}

/** Rows read by one query: one page of a table, or of a table's trail, is in memory at a time. */
const PAGE = 2000;

type TrailEvent = {
	entity_id: string | null;
	seq: number;
	action: string;
	new_values: string | null;
	reason: string | null;
	actor_id: number | null;
};

/** A table's trail in (record, seq) order, a keyset page at a time (audit_event_entity_idx). */
async function* trailOf(db: Executor, table: ClinicalTable): AsyncGenerator<TrailEvent[]> {
	let after: [string, number] | null = null;
	for (;;) {
		const from: [string, number] | null = after;
		const page: TrailEvent[] = await db
			.selectFrom('audit_event')
			.select(['entity_id', 'seq', 'action', 'new_values', 'reason', 'actor_id'])
			.where('entity_type', '=', table)
			.where('entity_id', 'is not', null)
			.$if(from !== null, (q) =>
				q.where(sql<SqlBool>`(entity_id, seq) > (${from![0]}, ${from![1]})`)
			)
			.orderBy('entity_id')
			.orderBy('seq')
			.limit(PAGE)
			.execute();
		if (page.length > 0) yield page;
		if (page.length < PAGE) return;
		const last = page[page.length - 1]!;
		after = [last.entity_id!, last.seq];
	}
}

/** A table's rows in id order, `columns` of each, a keyset page at a time. */
async function* rowsOf(
	db: Executor,
	table: ClinicalTable | EventTable,
	columns: readonly string[] | '*'
): AsyncGenerator<Row[]> {
	let after: number | null = null;
	for (;;) {
		const from = after;
		const page = (await db
			.selectFrom(table)
			.$if(columns === '*', (q) => q.selectAll())
			.$if(columns !== '*', (q) => q.select(['id', ...columns] as never[]))
			.$if(from !== null, (q) => q.where('id', '>', from!))
			.orderBy('id')
			.limit(PAGE)
			.execute()) as Row[];
		if (page.length > 0) yield page;
		if (page.length < PAGE) return;
		after = Number(page[page.length - 1]!.id);
	}
}

/** The table's column names (from one row), or null when it has no rows. */
async function columnNames(db: Executor, table: ClinicalTable): Promise<string[] | null> {
	const row = await db.selectFrom(table).selectAll().limit(1).executeTakeFirst();
	return row ? Object.keys(row) : null;
}

/**
 * Which protocol version is each study's active one (is_active), as the trail states it: the
 * version the study's latest protocol.activate entry names (by seq, across the study's
 * versions); every other version of the study is not active. A version whose study the trail
 * does not name is left alone.
 */
class ActiveProtocols {
	readonly #studyOf = new Map<string, string>();
	readonly #latest = new Map<string, { seq: number; id: string }>();

	take(e: TrailEvent): void {
		if (e.entity_id === null) return;
		if (e.action !== 'protocol.load' && e.action !== 'protocol.activate') return;
		let study: unknown;
		try {
			study = (JSON.parse(e.new_values ?? 'null') as Row | null)?.study;
		} catch {
			return;
		}
		if (typeof study !== 'string') return;
		this.#studyOf.set(e.entity_id, study);
		if (e.action !== 'protocol.activate') return;
		const seq = Number(e.seq);
		const latest = this.#latest.get(study);
		if (!latest || seq > latest.seq) this.#latest.set(study, { seq, id: e.entity_id });
	}

	settle(states: Map<string, State>): void {
		for (const [id, state] of states) {
			const study = this.#studyOf.get(id);
			if (study === undefined) continue;
			state.set('is_active', this.#latest.get(study)?.id === id ? 1 : 0);
		}
	}
}

/** Records replayed before their rows are read and held against them (heldInBatches; tests cut it). */
const BATCH_RECORDS = 2000;

/**
 * Every audited table against the trail, in one pass over each: the table's trail is replayed
 * a page at a time, and its rows are read (only the columns the trail names) and held against
 * it. Most tables are held a batch of records at a time (heldInBatches), so only a batch's
 * replayed states are in memory, whatever the size of the trial.
 */
export async function dataAgainstTrail(
	db: Executor,
	opts: { batchRecords?: number } = {}
): Promise<DataMismatch[]> {
	const batchRecords = opts.batchRecords ?? BATCH_RECORDS;
	const found: DataMismatch[] = [];
	const feeds = new TrailFeeds();
	for (const table of CLINICAL_TABLE_NAMES) {
		const names = await columnNames(db, table);
		const columns = new ColumnMap(table, new Set(names ?? []));
		const fed = table === 'api_token' || table === 'epro_link' ? feeds.fed[table] : null;
		if (names && !fed && table !== 'protocol_version') {
			await heldInBatches(db, table, names, columns, feeds, found, batchRecords);
			continue;
		}
		const states = new Map<string, State>(fed ?? []);
		const active = table === 'protocol_version' ? new ActiveProtocols() : null;
		for await (const page of trailOf(db, table)) {
			for (const e of page) {
				feeds.take(table, e);
				active?.take(e);
				replayEvent(table, e, columns, states);
			}
		}
		active?.settle(states);
		if (names) {
			for await (const page of rowsOf(db, table, auditedColumns(states.values(), names))) {
				for (const row of page) compareRow(table, row, states, found);
			}
		}
		goneRows(table, states, found);
	}
	for (const table of EVENT_TABLE_NAMES) await eventTableAgainstTrail(db, table, feeds, found);
	found.push(...(await userSitesAgainstTrail(db, feeds.userSites)));
	found.push(...(await secondFactorAgainstTrail(db, feeds.secondFactor)));
	found.push(...(await allocationAgainstTrail(db)));
	return found;
}

/** The columns the states name that the table has (an alias may name one it does not). */
function auditedColumns(states: Iterable<State>, names: readonly string[]): string[] {
	const audited = new Set<string>();
	for (const state of states) for (const field of state.keys()) audited.add(field);
	return names.filter((name) => audited.has(name));
}

/** Whether a trail's record id names a row id as the database writes it ('7', not '07'). */
const rowIdOf = (id: string): number | null => {
	const n = Number(id);
	return Number.isSafeInteger(n) && String(n) === id ? n : null;
};

/**
 * One table against its trail, BATCH_RECORDS records at a time: the trail (in record order) is
 * replayed until a batch is whole, then the batch's rows are read by id and held against it, and
 * its states dropped; rows no record of the trail names are found by a walk of the table's ids
 * at the end. What is reported, and in what order, is what holding the whole table at once
 * reports: the rows' findings in id order, then the records whose row is gone in trail order.
 */
async function heldInBatches(
	db: Executor,
	table: ClinicalTable,
	names: readonly string[],
	columns: ColumnMap,
	feeds: TrailFeeds,
	found: DataMismatch[],
	batchRecords: number
): Promise<void> {
	const { createdInTrail } = CLINICAL_TABLES[table];
	const rowFindings: { id: number; mismatch: DataMismatch }[] = [];
	const gone: DataMismatch[] = [];
	const held = new IdSet();
	let states = new Map<string, State>();
	const hold = async () => {
		const ids: number[] = [];
		for (const id of states.keys()) {
			const n = rowIdOf(id);
			if (n !== null) ids.push(n);
		}
		if (ids.length > 0) {
			const rows = await rowsWithIds(db, table, auditedColumns(states.values(), names), ids);
			for (const row of rows) {
				const id = String(row.id);
				const state = states.get(id);
				if (!state) continue;
				states.delete(id);
				held.add(Number(row.id));
				const mismatches: DataMismatch[] = [];
				compareFields(table, id, state, row, mismatches);
				for (const mismatch of mismatches) rowFindings.push({ id: Number(row.id), mismatch });
			}
		}
		goneRows(table, states, gone);
		states = new Map();
	};
	for await (const page of trailOf(db, table)) {
		for (const e of page) {
			// The trail is in record order: a record not begun yet means the batch's are whole.
			if (states.size >= batchRecords && !states.has(e.entity_id!)) await hold();
			feeds.take(table, e);
			replayEvent(table, e, columns, states);
		}
	}
	await hold();
	if (createdInTrail) {
		for await (const page of rowsOf(db, table, [])) {
			for (const row of page) {
				const id = Number(row.id);
				if (!held.has(id)) rowFindings.push({ id, mismatch: rowWithoutEntry(table, String(id)) });
			}
		}
	}
	// Stable: a row's own findings keep their order.
	rowFindings.sort((a, b) => a.id - b.id);
	for (const f of rowFindings) found.push(f.mismatch);
	found.push(...gone);
}

/** Ids below this are a bit each (8 MB at most); any other in a set. */
const BIT_IDS = 2 ** 26;

/** Row ids seen, a bit each (a table's ids are small whole numbers). */
class IdSet {
	#bits = new Uint8Array(1024);
	readonly #others = new Set<number>();
	add(id: number): void {
		if (!(id >= 0 && id < BIT_IDS && Number.isInteger(id))) {
			this.#others.add(id);
			return;
		}
		const byte = id >>> 3;
		if (byte >= this.#bits.length) {
			const grown = new Uint8Array(Math.max(byte + 1, this.#bits.length * 2));
			grown.set(this.#bits);
			this.#bits = grown;
		}
		this.#bits[byte]! |= 1 << (id & 7);
	}
	has(id: number): boolean {
		if (!(id >= 0 && id < BIT_IDS && Number.isInteger(id))) return this.#others.has(id);
		const byte = id >>> 3;
		return byte < this.#bits.length && (this.#bits[byte]! & (1 << (id & 7))) !== 0;
	}
}

/** The rows of a table with these ids, `columns` of each (any order). */
async function rowsWithIds(
	db: Executor,
	table: ClinicalTable,
	columns: readonly string[],
	ids: readonly number[]
): Promise<Row[]> {
	return (await db
		.selectFrom(table)
		.select(['id', ...columns] as never[])
		.where('id', 'in', ids as never[])
		.execute()) as Row[];
}

/** A table only other records' entries state (trail-feeds.ts), against what they state. */
async function eventTableAgainstTrail(
	db: Executor,
	table: EventTable,
	feeds: TrailFeeds,
	found: DataMismatch[]
): Promise<void> {
	const states = feeds.events[table];
	const { keys, reportGone } = EVENT_TABLES[table];
	const counted = new Map<string, number>();
	const nth = (group: string) => {
		const n = counted.get(group) ?? 0;
		counted.set(group, n + 1);
		return n;
	};
	for await (const page of rowsOf(db, table, '*')) {
		for (const row of page) {
			const id = String(row.id);
			const key = keys(row, nth).find((k) => states.has(k));
			if (key === undefined) {
				found.push(rowWithoutEntry(table, id));
				continue;
			}
			compareFields(table, id, states.get(key)!, row, found);
			states.delete(key);
		}
	}
	if (!reportGone) return;
	for (const key of states.keys()) {
		found.push({
			table,
			id: key,
			field: null,
			trail: 'row',
			data: null,
			message: `${table} ${key} is in the audit trail but its row is gone from the database`
		});
	}
}

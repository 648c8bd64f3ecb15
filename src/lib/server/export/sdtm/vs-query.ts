// The readings behind SDTM VS, a keyset page at a time in (session, time, id) order: the order of
// the vital_reading_session_idx index, so each page is index ranges, not a sort.
import type SQLite from 'better-sqlite3';
import { sql, type Selectable } from 'kysely';
import { sqliteHandleOf, type Executor } from '../../db';
import { oneIf } from '../../db/portable';
import type { VitalReadingTable } from '../../db/schema';
import { inStudy, keysetPages, siteIn, withinDays, type ExportScope } from '../pages';
import { firstDoseOf, plannedVisitBefore, type SessionContext } from './common';

/** A reading's columns as the table has them, with its session's and study's. */
export interface VsSource
	extends
		SessionContext,
		Pick<
			Selectable<VitalReadingTable>,
			| 'id'
			| 'dosing_session_id'
			| 'timepoint_minutes'
			| 'timepoint_label'
			| 'measured_at'
			| 'systolic'
			| 'diastolic'
			| 'heart_rate'
			| 'temperature_c'
			| 'temperature_value'
			| 'temperature_unit'
			| 'position'
			| 'not_done_reason'
		> {
	study_id: number;
	t0: string;
}

export type VsKey = [sessionId: number, measuredAt: string, id: number];

/** Readings in effect of sessions in effect; a session is in the period when its T0 is. */
function baseQuery(db: Executor, scope: ExportScope) {
	return db
		.selectFrom('vital_reading as vr')
		.innerJoin('dosing_session as ds', 'ds.id', 'vr.dosing_session_id')
		.innerJoin('participant as p', 'p.id', 'vr.participant_id')
		.where('vr.entered_in_error_at', 'is', null)
		.where('ds.entered_in_error_at', 'is', null)
		.where('p.entered_in_error_at', 'is', null)
		.where(siteIn('vr.site_id', scope.siteIds))
		.where(inStudy('p.study_id', scope))
		.where(withinDays('ds.t0', scope));
}

/** A reading's own columns; the rest of VsSource is its session's (SessionSource). */
type ReadingSource = Omit<VsSource, keyof Omit<SessionSource, 'id'>>;

/** What a page's readings share with their session: read once per session, not per reading. */
export type SessionSource = Pick<
	VsSource,
	| 'study_id'
	| 't0'
	| 'subject_code'
	| 'study_code'
	| 'visit_label'
	| 'visit_number'
	| 'session_number'
	| 'planned_before'
	| 'first_dose_at'
> & { id: number };

/**
 * Sessions read by one query: their readings are then read a page (PAGE_SIZE) at a time. Each
 * page of sessions is a query Kysely builds and compiles again; at 100 a page the export cost
 * 5-7 % more CPU (site tier).
 */
export const SESSIONS_PER_PAGE = 400;

/**
 * A page of the sessions in effect within the scope, in id order, with their subject, visit, the
 * planned visit before and the subject's first dose (EX's page: the session walked by id, the
 * participant and study looked up).
 */
export function vsSessionPage(
	db: Executor,
	scope: ExportScope,
	after: number | null,
	limit: number
): Promise<SessionSource[]> {
	return db
		.selectFrom('dosing_session as ds')
		.crossJoin('participant as p')
		.whereRef('p.id', '=', 'ds.participant_id')
		.crossJoin('study as s')
		.whereRef('s.id', '=', 'p.study_id')
		.leftJoin('visit as v', 'v.id', 'ds.visit_id')
		.where('ds.entered_in_error_at', 'is', null)
		.where('p.entered_in_error_at', 'is', null)
		.where(siteIn('ds.site_id', scope.siteIds))
		.where(inStudy('p.study_id', scope))
		.where(withinDays('ds.t0', scope))
		.select([
			'ds.id',
			'p.study_id',
			'ds.t0',
			'p.subject_code',
			's.code as study_code',
			'ds.session_number',
			// Read only where it is used (sessionVisit): a session recorded without a visit.
			sql<number | null>`case when ds.visit_id is null then ${plannedVisitBefore('ds')} end`.as(
				'planned_before'
			),
			firstDoseOf('ds.participant_id').as('first_dose_at'),
			'v.label as visit_label',
			'v.sequence as visit_number'
		])
		.$if(after !== null, (q) => q.where('ds.id', '>', after!))
		.orderBy('ds.id')
		.limit(limit)
		.execute();
}

/** A reading of VS with its session, the one object every reading of that session shares. */
export type VsReading = ReadingSource & { session: SessionSource };

/**
 * The readings of VS in (session, time, id) order, a page at a time, each pointing at its session:
 * a page of sessions in effect (the filters on the session, its participant and study), then
 * their readings in effect a page at a time. A reading is recorded in its session's participant
 * and site (capture copies both), so this is baseQuery's selection; the readings' own query joins
 * nothing (the joins per reading were a third of reading VS, profile), and a session's columns
 * are read once, not once per reading.
 */
export async function* vsReadingPages(
	db: Executor,
	scope: ExportScope
): AsyncGenerator<VsReading[]> {
	const sqlite = sqliteHandleOf(db);
	const sessionPages = keysetPages(
		(after: number | null, limit) => vsSessionPage(db, scope, after, limit),
		(last) => last.id,
		scope.pageSize ?? SESSIONS_PER_PAGE
	);
	for await (const sessions of sessionPages) {
		const byId = new Map(sessions.map((s) => [s.id, s]));
		const ids = sessions.map((s) => s.id);
		const pages = keysetPages(
			sqlite
				? (after: VsKey | null, limit) => sqliteReadingsPage(sqlite, scope, byId, ids, after, limit)
				: async (after: VsKey | null, limit) => {
						const readings = (await readingsPage(db, scope, ids, after, limit)) as VsReading[];
						// Each reading points at its session (one property) rather than copying the
						// session's nine columns into a new object per reading.
						for (const r of readings) r.session = byId.get(r.dosing_session_id)!;
						return readings;
					},
			(last): VsKey => [last.dosing_session_id, last.measured_at, last.id],
			scope.pageSize
		);
		yield* pages;
	}
}

/** The columns of ReadingSource, in the order the SQLite page reads them. */
const READING_COLUMNS = `id, dosing_session_id, timepoint_minutes, timepoint_label, measured_at,
	systolic, diastolic, heart_rate, temperature_c, temperature_value, temperature_unit, position,
	not_done_reason`;

/** The page's statements of each SQLite handle, by their SQL (four shapes: sites, a key or not). */
const statements = new WeakMap<SQLite.Database, Map<string, SQLite.Statement>>();

function statementOf(sqlite: SQLite.Database, text: string): SQLite.Statement {
	let mine = statements.get(sqlite);
	if (!mine) statements.set(sqlite, (mine = new Map()));
	let statement = mine.get(text);
	if (!statement) mine.set(text, (statement = sqlite.prepare(text).raw(true)));
	return statement;
}

/**
 * A reading made from its raw values (READING_COLUMNS' order). A class, not an object literal: V8
 * tracks where literals are made and, seeing a whole page of them alive at a collection, makes
 * that literal's objects in the old generation from then on, which only a full collection frees
 * (about 4.5 MB of an export's readings at the site tier, and a mark-compact of the export
 * worker's heap per export). Objects made by `new` stay young and die young.
 */
class SqliteReading implements VsReading {
	id: number;
	dosing_session_id: number;
	timepoint_minutes: number | null;
	timepoint_label: string;
	measured_at: string;
	systolic: number | null;
	diastolic: number | null;
	heart_rate: number | null;
	temperature_c: number | null;
	temperature_value: number | null;
	temperature_unit: VsReading['temperature_unit'];
	position: string | null;
	not_done_reason: string | null;
	session: SessionSource;

	constructor(v: unknown[], session: SessionSource) {
		this.id = v[0] as number;
		this.dosing_session_id = v[1] as number;
		this.timepoint_minutes = v[2] as number | null;
		this.timepoint_label = v[3] as string;
		this.measured_at = v[4] as string;
		this.systolic = v[5] as number | null;
		this.diastolic = v[6] as number | null;
		this.heart_rate = v[7] as number | null;
		this.temperature_c = v[8] as number | null;
		this.temperature_value = v[9] as number | null;
		this.temperature_unit = v[10] as VsReading['temperature_unit'];
		this.position = v[11] as string | null;
		this.not_done_reason = v[12] as string | null;
		this.session = session;
	}
}

/**
 * The SQL of sqliteReadingsPage: the sessions' ids (JSON), the sites' (JSON) when `sites`, the last
 * key when `after`, then the limit. It walks vital_reading_session_idx in its order, one range per
 * session, and sorts nothing (tests/integration/export-page-plans.test.ts).
 */
export function sqliteReadingsSql(sites: boolean, after: boolean): string {
	return `select ${READING_COLUMNS} from vital_reading
		where dosing_session_id in (select value from json_each(?)) and entered_in_error_at is null
		${sites ? 'and site_id in (select value from json_each(?))' : ''}
		${after ? 'and (dosing_session_id, measured_at, id) > (?, ?, ?)' : ''}
		order by dosing_session_id, measured_at, id limit ?`;
}

/**
 * readingsPage on SQLite, read by better-sqlite3 itself: the same rows in the same order, each
 * made once as a VsReading with its session from the raw values. Through Kysely each page was a
 * query built and compiled again, a row object made, and then grown by its session (another
 * shape), about 40 % of reading VS (site tier, profile). The lists are JSON (json_each), so a
 * page is one of four statements whatever its number of sessions or sites.
 */
function sqliteReadingsPage(
	sqlite: SQLite.Database,
	scope: ExportScope,
	byId: Map<number, SessionSource>,
	sessionIds: number[],
	after: VsKey | null,
	limit: number
): Promise<VsReading[]> {
	const from = after === null ? 0 : sessionIds.indexOf(after[0]);
	const sites = scope.siteIds === 'all' ? null : scope.siteIds;
	const statement = statementOf(sqlite, sqliteReadingsSql(sites !== null, after !== null));
	const params: unknown[] = [JSON.stringify(from > 0 ? sessionIds.slice(from) : sessionIds)];
	if (sites) params.push(JSON.stringify(sites));
	if (after) params.push(...after);
	params.push(limit);
	const values = statement.all(params) as unknown[][];
	const readings = new Array<VsReading>(values.length);
	for (let i = 0; i < values.length; i++) {
		const v = values[i]!;
		readings[i] = new SqliteReading(v, byId.get(v[1] as number)!);
	}
	return Promise.resolve(readings);
}

/**
 * One page of the readings in effect of these sessions (`sessionIds` ascending). A page after the
 * first asks only for the sessions from the last key's onward: SQLite walks the index once per
 * session of the list and tests the key on each row, so with the whole list every page re-read
 * the readings of the pages before it (a session page's later reading pages cost twice the first).
 */
function readingsPage(
	db: Executor,
	scope: ExportScope,
	sessionIds: number[],
	after: VsKey | null,
	limit: number
): Promise<ReadingSource[]> {
	const from = after === null ? 0 : sessionIds.indexOf(after[0]);
	return db
		.selectFrom('vital_reading as vr')
		.where('vr.dosing_session_id', 'in', from > 0 ? sessionIds.slice(from) : sessionIds)
		.where('vr.entered_in_error_at', 'is', null)
		.where(siteIn('vr.site_id', scope.siteIds))
		.select([
			'vr.id',
			'vr.dosing_session_id',
			'vr.timepoint_minutes',
			'vr.timepoint_label',
			'vr.measured_at',
			'vr.systolic',
			'vr.diastolic',
			'vr.heart_rate',
			'vr.temperature_c',
			'vr.temperature_value',
			'vr.temperature_unit',
			'vr.position',
			'vr.not_done_reason'
		])
		.$if(after !== null, (q) =>
			q.where(
				sql<boolean>`(vr.dosing_session_id, vr.measured_at, vr.id) > (${after![0]}, ${after![1]}, ${after![2]})`
			)
		)
		.orderBy('vr.dosing_session_id')
		.orderBy('vr.measured_at')
		.orderBy('vr.id')
		.limit(limit)
		.execute();
}

/** Rows VS will have: one per measure taken, and one (VSALL) per reading not done. */
export async function countVs(db: Executor, scope: ExportScope): Promise<number> {
	const row = await baseQuery(db, scope)
		.select(
			sql<number>`coalesce(sum(${oneIf(sql`vr.systolic is not null`)} + ${oneIf(sql`vr.diastolic is not null`)}
				+ ${oneIf(sql`vr.heart_rate is not null`)} + ${oneIf(sql`vr.temperature_c is not null`)}
				+ ${oneIf(sql`vr.not_done_reason is not null`)}), 0)`.as('n')
		)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

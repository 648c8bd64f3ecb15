// sdv_record_status: one row per standing record the protocol asks to verify (see
// services/monitoring/sdv-summary.ts), and SDV progress counted from it per site and participant.
import { sql, type ExpressionBuilder, type Insertable, type Selectable } from 'kysely';
import type { DB } from '../db/schema';
import type { Executor } from '../db';
import type {
	SdvRebuildTable,
	SdvRecordStatusTable,
	SdvSiteCellTable
} from '../db/schema-summaries';
import { addToCells } from './counted-cells';
import { SDV_TYPES, type SdvType } from './source-verification';

export type SdvStatusRow = Insertable<SdvRecordStatusTable>;
export type SdvSiteCell = Insertable<SdvSiteCellTable>;

/** Deletes the record's row and returns it (undefined: it had none). */
export async function deleteRecordStatus(
	db: Executor,
	record: { type: SdvType; id: number }
): Promise<SdvStatusRow | undefined> {
	return db
		.deleteFrom('sdv_record_status')
		.where('entity_type', '=', record.type)
		.where('entity_id', '=', record.id)
		.returningAll()
		.executeTakeFirst();
}

export async function deleteStatuses(db: Executor, studyId: number | 'all'): Promise<void> {
	let q = db.deleteFrom('sdv_record_status');
	if (studyId !== 'all') q = q.where('study_id', '=', studyId);
	await q.execute();
}

/** 9 columns a row: 500 rows stay under SQLite's and PostgreSQL's parameter limits. */
const BATCH = 500;

export async function insertStatuses(db: Executor, rows: readonly SdvStatusRow[]): Promise<void> {
	for (let i = 0; i < rows.length; i += BATCH) {
		await db
			.insertInto('sdv_record_status')
			.values(rows.slice(i, i + BATCH))
			.execute();
	}
}

/** Ids an INSERT … SELECT takes at once: a fixed count, so that it is one statement to prepare. */
const ALIKE = 500;

/**
 * Rows alike but for their record (`row`'s counts and status, in one study) for these records of
 * one type, each placed (site, participant) by the database from the record.
 */
export async function insertAlike(
	db: Executor,
	f: { type: SdvType; studyId: number; row: SdvStatusRow; ids: readonly number[] }
): Promise<void> {
	for (let i = 0; i < f.ids.length; i += ALIKE) {
		const ids = f.ids.slice(i, i + ALIKE);
		// Padded with the first id again (IN ignores repeats).
		while (ids.length < ALIKE) ids.push(ids[0]!);
		await db
			.insertInto('sdv_record_status')
			.columns([
				'entity_type',
				'entity_id',
				'study_id',
				'site_id',
				'participant_id',
				'field_count',
				'fields_verified',
				'fields_changed',
				'status'
			])
			.expression(
				db
					.selectFrom(`${f.type} as r` as 'adverse_event as r')
					.select([
						sql<SdvType>`cast(${f.type} as text)`.as('entity_type'),
						'r.id',
						sql<number>`cast(${f.studyId} as integer)`.as('study_id'),
						'r.site_id',
						'r.participant_id',
						sql<number>`cast(${f.row.field_count} as integer)`.as('field_count'),
						sql<number>`cast(${f.row.fields_verified} as integer)`.as('fields_verified'),
						sql<number>`cast(${f.row.fields_changed} as integer)`.as('fields_changed'),
						sql<string>`cast(${f.row.status} as text)`.as('status')
					])
					.where('r.id', 'in', ids)
			)
			.execute();
	}
}

/** Progress in records and fields, as one row of sums. */
export interface ProgressSums {
	records: number;
	records_verified: number;
	required: number;
	verified: number;
	changed: number;
}

const sums = [
	sql<number>`count(*)`.as('records'),
	sql<number>`sum(case when x.status = 'verified' then 1 else 0 end)`.as('records_verified'),
	sql<number>`sum(x.field_count)`.as('required'),
	sql<number>`sum(x.fields_verified)`.as('verified'),
	sql<number>`sum(x.fields_changed)`.as('changed')
] as const;

/** Adds these changes to the site cells (see counted-cells.ts). */
export function addToSiteCells(db: Executor, deltas: readonly SdvSiteCell[]): Promise<void> {
	return addToCells(
		db,
		'sdv_site_cell',
		{
			key: ['study_id', 'site_id'],
			counters: ['records', 'records_verified', 'field_count', 'fields_verified', 'fields_changed'],
			countedBy: 'records'
		},
		deltas
	);
}

/** A study's site cells (or every study's) recounted from its rows. */
export async function rebuildSiteCells(db: Executor, studyId: number | 'all'): Promise<void> {
	let clear = db.deleteFrom('sdv_site_cell');
	if (studyId !== 'all') clear = clear.where('study_id', '=', studyId);
	await clear.execute();
	let rows = db
		.selectFrom('sdv_record_status as x')
		.select(['x.study_id', 'x.site_id'])
		.select([
			sql<number>`count(*)`.as('records'),
			sql<number>`sum(case when x.status = 'verified' then 1 else 0 end)`.as('records_verified'),
			sql<number>`sum(x.field_count)`.as('field_count'),
			sql<number>`sum(x.fields_verified)`.as('fields_verified'),
			sql<number>`sum(x.fields_changed)`.as('fields_changed')
		])
		.groupBy(['x.study_id', 'x.site_id']);
	if (studyId !== 'all') rows = rows.where('x.study_id', '=', studyId);
	await db
		.insertInto('sdv_site_cell')
		.columns([
			'study_id',
			'site_id',
			'records',
			'records_verified',
			'field_count',
			'fields_verified',
			'fields_changed'
		])
		.expression(rows)
		.execute();
}

/**
 * Each site's progress (sites with a record to verify), in site code order, from the site cells:
 * a row a study and site, whatever the number of records.
 */
export function siteProgress(
	db: Executor,
	siteIds: number[] | 'all'
): Promise<Array<ProgressSums & { site_id: number; site_code: string }>> {
	let q = db
		.selectFrom('sdv_site_cell as c')
		.innerJoin('site as s', 's.id', 'c.site_id')
		.select(['c.site_id', 's.code as site_code'])
		.select([
			sql<number>`sum(c.records)`.as('records'),
			sql<number>`sum(c.records_verified)`.as('records_verified'),
			sql<number>`sum(c.field_count)`.as('required'),
			sql<number>`sum(c.fields_verified)`.as('verified'),
			sql<number>`sum(c.fields_changed)`.as('changed')
		])
		.groupBy(['c.site_id', 's.code'])
		.orderBy('s.code')
		.orderBy('c.site_id');
	if (siteIds !== 'all') q = q.where('c.site_id', 'in', siteIds.length > 0 ? siteIds : [-1]);
	return q.execute();
}

/**
 * A page of one site's participants with a record to verify, in subject code order, after the
 * cursor's (subject code, id).
 */
export function participantProgress(
	db: Executor,
	f: { siteId: number; after: [subjectCode: string, id: number] | null; limit: number }
): Promise<Array<ProgressSums & { participant_id: number; subject_code: string }>> {
	let q = db
		.selectFrom('participant as p')
		.innerJoin('sdv_record_status as x', 'x.participant_id', 'p.id')
		.select(['p.id as participant_id', 'p.subject_code'])
		.select(sums)
		.where('p.site_id', '=', f.siteId)
		.where('x.site_id', '=', f.siteId)
		.groupBy(['p.id', 'p.subject_code'])
		.orderBy('p.subject_code')
		.orderBy('p.id')
		.limit(f.limit);
	const after = f.after;
	if (after) q = q.where(sql<boolean>`(p.subject_code, p.id) > (${after[0]}, ${after[1]})`);
	return q.execute();
}

// ---- A study's rebuild after commit, a window of records at a time (sdv_rebuild) ----

export type SdvRebuild = Selectable<SdvRebuildTable>;

/** Where the study's rebuild stands (undefined: its rows are whole). */
export function rebuildState(db: Executor, studyId: number): Promise<SdvRebuild | undefined> {
	return db
		.selectFrom('sdv_rebuild')
		.selectAll()
		.where('study_id', '=', studyId)
		.executeTakeFirst();
}

/** The rebuilds not done, in study order. */
export function rebuilds(db: Executor): Promise<SdvRebuild[]> {
	return db.selectFrom('sdv_rebuild').selectAll().orderBy('study_id').execute();
}

/**
 * The rows a reader may count while these rebuilds are under way: every row of a study not being
 * rebuilt, and of a study being rebuilt the rows its rebuild has done (the types before the one it
 * stands at, and that type's ids up to where it stands): those hold the active settings' rows,
 * kept by each write since. The rest are computed (services/monitoring/sdv-progress.ts).
 */
function counted(states: readonly SdvRebuild[]) {
	return (eb: ExpressionBuilder<DB, 'sdv_record_status'>) =>
		eb.or([
			eb(
				'sdv_record_status.study_id',
				'not in',
				states.map((s) => s.study_id)
			),
			...states.map((s) =>
				eb.and([
					eb('sdv_record_status.study_id', '=', s.study_id),
					eb.or([
						...(typesBefore(s.entity_type).length > 0
							? [eb('sdv_record_status.entity_type', 'in', typesBefore(s.entity_type))]
							: []),
						eb.and([
							eb('sdv_record_status.entity_type', '=', s.entity_type),
							eb('sdv_record_status.entity_id', '<=', s.after_id)
						])
					])
				])
			)
		]);
}

/** The SDV types a rebuild does before this one. */
const typesBefore = (type: SdvType): SdvType[] => SDV_TYPES.slice(0, SDV_TYPES.indexOf(type));

/** The rebuild stands here now (started, restarted or moved on). */
export async function setRebuildState(db: Executor, state: SdvRebuild): Promise<void> {
	await db
		.insertInto('sdv_rebuild')
		.values(state)
		.onConflict((oc) =>
			oc
				.column('study_id')
				.doUpdateSet({ entity_type: state.entity_type, after_id: state.after_id })
		)
		.execute();
}

/** The study's rebuild is done (or every study's). */
export async function clearRebuildState(db: Executor, studyId: number | 'all'): Promise<void> {
	let q = db.deleteFrom('sdv_rebuild');
	if (studyId !== 'all') q = q.where('study_id', '=', studyId);
	await q.execute();
}

/** A window of one type's records of a study: ids after `after`, up to `upTo`. */
interface StatusWindow {
	studyId: number;
	type: SdvType;
	after: number;
	upTo: number;
}

/** What the window's rows add to each site cell now (before they are replaced). */
export function windowCells(db: Executor, w: StatusWindow): Promise<SdvSiteCell[]> {
	return db
		.selectFrom('sdv_record_status as x')
		.select(['x.study_id', 'x.site_id'])
		.select([
			sql<number>`count(*)`.as('records'),
			sql<number>`sum(case when x.status = 'verified' then 1 else 0 end)`.as('records_verified'),
			sql<number>`sum(x.field_count)`.as('field_count'),
			sql<number>`sum(x.fields_verified)`.as('fields_verified'),
			sql<number>`sum(x.fields_changed)`.as('fields_changed')
		])
		.where('x.entity_type', '=', w.type)
		.where('x.entity_id', '>', w.after)
		.where('x.entity_id', '<=', w.upTo)
		.where('x.study_id', '=', w.studyId)
		.groupBy(['x.study_id', 'x.site_id'])
		.execute();
}

export async function deleteWindow(db: Executor, w: StatusWindow): Promise<void> {
	await db
		.deleteFrom('sdv_record_status')
		.where('entity_type', '=', w.type)
		.where('entity_id', '>', w.after)
		.where('entity_id', '<=', w.upTo)
		.where('study_id', '=', w.studyId)
		.execute();
}

/**
 * The highest id of a type's records, of its rows, or of both (0: none): where a rebuild of the
 * type ends.
 */
export async function lastIdOf(
	db: Executor,
	type: SdvType,
	of: { records: boolean; rows: boolean }
): Promise<number> {
	const [record, row] = await Promise.all([
		of.records
			? db
					.selectFrom(`${type} as r` as 'adverse_event as r')
					.select(sql<number | null>`max(r.id)`.as('id'))
					.executeTakeFirst()
			: undefined,
		of.rows
			? db
					.selectFrom('sdv_record_status')
					.select(sql<number | null>`max(entity_id)`.as('id'))
					.where('entity_type', '=', type)
					.executeTakeFirst()
			: undefined
	]);
	return Math.max(Number(record?.id ?? 0), Number(row?.id ?? 0));
}

/**
 * Site progress (siteProgress's sums, by site id) while these rebuilds are under way: the cells of
 * every other study, and the rows the rebuilds have done.
 */
export async function siteSumsCounted(
	db: Executor,
	siteIds: number[] | 'all',
	states: readonly SdvRebuild[]
): Promise<Map<number, ProgressSums>> {
	const studies = states.map((s) => s.study_id);
	let cells = db
		.selectFrom('sdv_site_cell as c')
		.select('c.site_id')
		.select([
			sql<number>`sum(c.records)`.as('records'),
			sql<number>`sum(c.records_verified)`.as('records_verified'),
			sql<number>`sum(c.field_count)`.as('required'),
			sql<number>`sum(c.fields_verified)`.as('verified'),
			sql<number>`sum(c.fields_changed)`.as('changed')
		])
		.where('c.study_id', 'not in', studies.length > 0 ? studies : [-1])
		.groupBy('c.site_id');
	let done = db
		.selectFrom('sdv_record_status')
		.select('sdv_record_status.site_id')
		.select([
			sql<number>`count(*)`.as('records'),
			sql<number>`sum(case when status = 'verified' then 1 else 0 end)`.as('records_verified'),
			sql<number>`sum(field_count)`.as('required'),
			sql<number>`sum(fields_verified)`.as('verified'),
			sql<number>`sum(fields_changed)`.as('changed')
		])
		.where('sdv_record_status.study_id', 'in', studies.length > 0 ? studies : [-1])
		.where(counted(states))
		.groupBy('sdv_record_status.site_id');
	if (siteIds !== 'all') {
		const ids = siteIds.length > 0 ? siteIds : [-1];
		cells = cells.where('c.site_id', 'in', ids);
		done = done.where('sdv_record_status.site_id', 'in', ids);
	}
	const out = new Map<number, ProgressSums>();
	for (const r of [...(await cells.execute()), ...(await done.execute())]) {
		const had = out.get(r.site_id);
		out.set(r.site_id, {
			records: Number(had?.records ?? 0) + Number(r.records),
			records_verified: Number(had?.records_verified ?? 0) + Number(r.records_verified),
			required: Number(had?.required ?? 0) + Number(r.required),
			verified: Number(had?.verified ?? 0) + Number(r.verified),
			changed: Number(had?.changed ?? 0) + Number(r.changed)
		});
	}
	return out;
}

/** These sites (or all), in the order siteProgress gives them. */
export function sitesInOrder(
	db: Executor,
	siteIds: number[] | 'all'
): Promise<Array<{ site_id: number; site_code: string }>> {
	let q = db
		.selectFrom('site as s')
		.select(['s.id as site_id', 's.code as site_code'])
		.orderBy('s.code')
		.orderBy('s.id');
	if (siteIds !== 'all') q = q.where('s.id', 'in', siteIds.length > 0 ? siteIds : [-1]);
	return q.execute();
}

/**
 * A site's participants after the cursor, in participantProgress's order, each with the sums of
 * the rows a reader may count while these rebuilds are under way (zero when none):
 * participantProgress without the limit, for a page that adds what the rebuilds have not done.
 */
export function participantSumsCounted(
	db: Executor,
	f: {
		siteId: number;
		after: [subjectCode: string, id: number] | null;
		states: readonly SdvRebuild[];
	}
): Promise<
	Array<ProgressSums & { participant_id: number; subject_code: string; study_id: number }>
> {
	const rows = db
		.selectFrom('sdv_record_status')
		.selectAll()
		.where('sdv_record_status.site_id', '=', f.siteId)
		.where(counted(f.states))
		.as('x');
	let q = db
		.selectFrom('participant as p')
		.leftJoin(rows, 'x.participant_id', 'p.id')
		.select(['p.id as participant_id', 'p.subject_code', 'p.study_id'])
		.select([
			sql<number>`count(x.entity_id)`.as('records'),
			sql<number>`coalesce(sum(case when x.status = 'verified' then 1 else 0 end), 0)`.as(
				'records_verified'
			),
			sql<number>`coalesce(sum(x.field_count), 0)`.as('required'),
			sql<number>`coalesce(sum(x.fields_verified), 0)`.as('verified'),
			sql<number>`coalesce(sum(x.fields_changed), 0)`.as('changed')
		])
		.where('p.site_id', '=', f.siteId)
		.groupBy(['p.id', 'p.subject_code', 'p.study_id'])
		.orderBy('p.subject_code')
		.orderBy('p.id');
	const after = f.after;
	if (after) q = q.where(sql<boolean>`(p.subject_code, p.id) > (${after[0]}, ${after[1]})`);
	return q.execute();
}

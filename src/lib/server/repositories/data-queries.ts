// Data queries and their steps.
import { sql, type Insertable, type Updateable } from 'kysely';
import type { Executor } from '../db';
import type { DataQuery, DataQueryStep, DataQueryStepTable, DataQueryTable } from '../db/schema';

export function insertQuery(db: Executor, row: Insertable<DataQueryTable>): Promise<DataQuery> {
	return db.insertInto('data_query').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateQuery(
	db: Executor,
	id: number,
	changes: Updateable<DataQueryTable>
): Promise<void> {
	await db.updateTable('data_query').set(changes).where('id', '=', id).execute();
}

export function findQuery(db: Executor, id: number): Promise<DataQuery | undefined> {
	return db.selectFrom('data_query').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertStep(db: Executor, row: Insertable<DataQueryStepTable>): Promise<void> {
	await db.insertInto('data_query_step').values(row).execute();
}

export function stepsOf(db: Executor, queryIds: number[]): Promise<DataQueryStep[]> {
	if (queryIds.length === 0) return Promise.resolve([]);
	return db
		.selectFrom('data_query_step')
		.selectAll()
		.where('query_id', 'in', queryIds)
		.orderBy('id')
		.execute();
}

export interface QueryFilter {
	siteIds: number[] | 'all';
	id?: number;
	siteId?: number;
	participantId?: number;
	status?: string;
	entityType?: string;
	entityId?: number;
	limit?: number;
}

export type QueryRow = DataQuery & { subject_code: string; site_code: string };

/** Queries in scope, open ones first, then newest. */
export function listQueries(db: Executor, f: QueryFilter): Promise<QueryRow[]> {
	if (f.siteIds !== 'all' && f.siteIds.length === 0) return Promise.resolve([]);
	let q = db
		.selectFrom('data_query as q')
		.innerJoin('participant as p', 'p.id', 'q.participant_id')
		.innerJoin('site as s', 's.id', 'q.site_id')
		.selectAll('q')
		.select(['p.subject_code', 's.code as site_code']);
	if (f.siteIds !== 'all') q = q.where('q.site_id', 'in', f.siteIds);
	if (f.id !== undefined) q = q.where('q.id', '=', f.id);
	if (f.siteId !== undefined) q = q.where('q.site_id', '=', f.siteId);
	if (f.participantId !== undefined) q = q.where('q.participant_id', '=', f.participantId);
	if (f.status !== undefined) q = q.where('q.status', '=', f.status);
	if (f.entityType !== undefined) q = q.where('q.entity_type', '=', f.entityType);
	if (f.entityId !== undefined) q = q.where('q.entity_id', '=', f.entityId);
	return q
		.orderBy(sql`case q.status when 'open' then 0 when 'answered' then 1 else 2 end`)
		.orderBy('q.raised_at', 'desc')
		.orderBy('q.id', 'desc')
		.limit(f.limit ?? 1000)
		.execute();
}

export interface OpenQueryAgeRow {
	site_id: number;
	site_code: string;
	participant_id: number;
	subject_code: string;
	open: number;
	answered: number;
	oldest_raised_at: string;
}

/** Open and answered (not yet closed) queries per participant, with the oldest one's time. */
export function unresolvedByParticipant(
	db: Executor,
	siteIds: number[] | 'all'
): Promise<OpenQueryAgeRow[]> {
	if (siteIds !== 'all' && siteIds.length === 0) return Promise.resolve([]);
	let q = db
		.selectFrom('data_query as q')
		.innerJoin('participant as p', 'p.id', 'q.participant_id')
		.innerJoin('site as s', 's.id', 'q.site_id')
		.select([
			'q.site_id',
			's.code as site_code',
			'q.participant_id',
			'p.subject_code',
			sql<number>`sum(case when q.status = 'open' then 1 else 0 end)`.as('open'),
			sql<number>`sum(case when q.status = 'answered' then 1 else 0 end)`.as('answered'),
			sql<string>`min(q.raised_at)`.as('oldest_raised_at')
		])
		.where('q.status', 'in', ['open', 'answered'])
		.groupBy(['q.site_id', 's.code', 'q.participant_id', 'p.subject_code'])
		.orderBy('s.code')
		.orderBy('p.subject_code');
	if (siteIds !== 'all') q = q.where('q.site_id', 'in', siteIds);
	return q.execute();
}

// The review queue in SQL: every record ready for review without a valid signature, as one UNION
// ALL over the three signable tables, so filters, order and paging run in the database.
import { sql, type SelectQueryBuilder } from 'kysely';
import type { Executor } from '../db';
import { oneIf } from '../db/portable';
import type { DB } from '../db/schema';
import { queueSources, SIGNABLE_TYPES, type SignableType } from './signatures';

export interface QueueFilter {
	/** Site ids the reader holds ('all' for admins and the operator). */
	siteIds: number[] | 'all';
	entityType?: SignableType;
	participantId?: number;
	/** UTC instants, ISO 8601: the record's own time (T0, onset, administration) in [from, before). */
	from?: string;
	before?: string;
	changedSinceSigned?: boolean;
}

export interface QueueRow {
	entity_type: SignableType;
	entity_id: number;
	site_id: number;
	site_code: string;
	timezone: string;
	participant_id: number;
	subject_code: string;
	at: string;
	detail: string;
	/** What a signature now would be bound to. */
	review_version: number;
	/** 1 when the record was signed before (every signature since voided or outdated). */
	signed_before: number;
}

type Q = SelectQueryBuilder<DB & { q: QueueRow }, 'q', object>;

function unsigned(db: Executor, type: SignableType) {
	const s = queueSources[type];
	const signed = (valid: boolean) =>
		sql<boolean>`exists (select 1 from signature sg where sg.entity_type = ${type} and sg.entity_id = ds.id${
			valid ? sql` and sg.voided_at is null and sg.entity_version = ${s.version}` : sql``
		})`;
	return db
		.selectFrom(`${type} as ds` as 'dosing_session as ds')
		.innerJoin('participant as p', 'p.id', 'ds.participant_id')
		.innerJoin('site', 'site.id', 'ds.site_id')
		.select([
			sql<SignableType>`${type}`.as('entity_type'),
			'ds.id as entity_id',
			'ds.site_id',
			'site.code as site_code',
			'site.timezone',
			'p.id as participant_id',
			'p.subject_code',
			sql.ref<string>(`ds.${s.at}`).as('at'),
			s.detail.as('detail'),
			s.version.as('review_version'),
			oneIf(signed(false)).as('signed_before')
		])
		.where('ds.entered_in_error_at', 'is', null)
		.where('p.entered_in_error_at', 'is', null)
		.where(s.queued)
		.where(sql<boolean>`not ${signed(true)}`);
}

/** The queue as a table `q`, narrowed by everything but the type and changed filters. */
function queue(db: Executor, f: QueueFilter): Q {
	const [first, ...rest] = SIGNABLE_TYPES.map((type) => {
		let part = unsigned(db, type);
		if (f.siteIds !== 'all') part = part.where('ds.site_id', 'in', f.siteIds);
		if (f.participantId !== undefined) part = part.where('ds.participant_id', '=', f.participantId);
		return part;
	});
	const union = rest.reduce((u, part) => u.unionAll(part), first!);
	let q = (db as Executor).selectFrom(union.as('q')) as unknown as Q;
	if (f.from !== undefined) q = q.where(sql.ref('q.at'), '>=', f.from);
	if (f.before !== undefined) q = q.where(sql.ref('q.at'), '<', f.before);
	return q;
}

const none = (f: QueueFilter) => f.siteIds !== 'all' && f.siteIds.length === 0;

/** One page of the queue, newest first (or oldest first). */
export function queuePage(
	db: Executor,
	f: QueueFilter,
	page: { limit: number; offset: number; oldestFirst?: boolean }
): Promise<QueueRow[]> {
	if (none(f)) return Promise.resolve([]);
	let q = queue(db, f).selectAll('q');
	if (f.entityType !== undefined) q = q.where(sql.ref('q.entity_type'), '=', f.entityType);
	if (f.changedSinceSigned !== undefined) {
		q = q.where(sql.ref('q.signed_before'), '=', f.changedSinceSigned ? 1 : 0);
	}
	const dir = page.oldestFirst ? 'asc' : 'desc';
	return q
		.orderBy(sql.ref('q.at'), dir)
		.orderBy(sql.ref('q.entity_type'))
		.orderBy(sql.ref('q.entity_id'), dir)
		.limit(page.limit)
		.offset(page.offset)
		.execute() as Promise<QueueRow[]>;
}

export interface QueueCountRow {
	entity_type: SignableType;
	signed_before: number;
	n: number;
}

/** Counts by record type and changed-since-signed, under the other filters. */
export function queueCounts(db: Executor, f: QueueFilter): Promise<QueueCountRow[]> {
	if (none(f)) return Promise.resolve([]);
	return queue(db, f)
		.select([
			sql<SignableType>`q.entity_type`.as('entity_type'),
			sql<number>`q.signed_before`.as('signed_before'),
			sql<number>`count(*)`.as('n')
		])
		.groupBy([sql.ref('q.entity_type'), sql.ref('q.signed_before')])
		.execute() as Promise<QueueCountRow[]>;
}

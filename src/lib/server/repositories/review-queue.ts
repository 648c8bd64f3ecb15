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
	/** The participant's subject code (at the sites above). */
	subjectCode?: string;
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

/** Is there a signature (any; or only a valid one, bound to the record's review version)? */
const signedBy = (type: SignableType, valid: boolean) =>
	sql<boolean>`exists (select 1 from signature sg where sg.entity_type = ${type} and sg.entity_id = ds.id${
		valid
			? sql` and sg.voided_at is null and sg.entity_version = ${queueSources[type].version}`
			: sql``
	})`;

/**
 * One record type's part of the queue, narrowed by every filter. A participant entered in error
 * is looked up as a set (a handful), not joined per record.
 */
function unsigned(db: Executor, type: SignableType, f: QueueFilter) {
	const s = queueSources[type];
	const at = sql.ref<string>(`ds.${s.at}`);
	let q = db
		.selectFrom(`${type} as ds` as 'dosing_session as ds')
		.where('ds.entered_in_error_at', 'is', null)
		.where(
			sql<boolean>`ds.participant_id not in (select p.id from participant p where p.entered_in_error_at is not null)`
		)
		.where(s.queued)
		.where(sql<boolean>`not ${signedBy(type, true)}`);
	if (f.siteIds !== 'all') q = q.where('ds.site_id', 'in', f.siteIds);
	if (f.participantId !== undefined) q = q.where('ds.participant_id', '=', f.participantId);
	if (f.subjectCode !== undefined) {
		const code = f.subjectCode;
		q = q.where('ds.participant_id', 'in', (eb) =>
			eb.selectFrom('participant as pc').select('pc.id').where('pc.subject_code', '=', code)
		);
	}
	if (f.from !== undefined) q = q.where(at, '>=', f.from);
	if (f.before !== undefined) q = q.where(at, '<', f.before);
	if (f.changedSinceSigned !== undefined) {
		const before = signedBy(type, false);
		q = q.where(f.changedSinceSigned ? before : sql<boolean>`not ${before}`);
	}
	return q;
}

const none = (f: QueueFilter) => f.siteIds !== 'all' && f.siteIds.length === 0;
const typesOf = (f: QueueFilter) =>
	SIGNABLE_TYPES.filter((t) => f.entityType === undefined || t === f.entityType);

/**
 * One page of the queue, newest first (or oldest first). Each record type gives at most the rows
 * up to the end of the page, in its own index order (site, time), so a page costs what it shows
 * (and the pages before it), not the whole queue; the parts are then merged in the same order.
 */
export function queuePage(
	db: Executor,
	f: QueueFilter,
	page: { limit: number; offset: number; oldestFirst?: boolean }
): Promise<QueueRow[]> {
	if (none(f)) return Promise.resolve([]);
	const dir = page.oldestFirst ? 'asc' : 'desc';
	const parts = typesOf(f).map((type) => {
		const s = queueSources[type];
		const part = unsigned(db, type, f)
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
				oneIf(signedBy(type, false)).as('signed_before')
			])
			.orderBy(sql.ref(`ds.${s.at}`), dir)
			.orderBy('ds.id', dir)
			.limit(page.offset + page.limit);
		return db.selectFrom(part.as(`part_${type}`)).selectAll();
	});
	const [first, ...rest] = parts;
	const union = rest.reduce((u, part) => u.unionAll(part), first!);
	return (db.selectFrom(union.as('q')) as unknown as Q)
		.selectAll('q')
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

/**
 * Counts by record type and changed-since-signed, under the other filters: one count per type,
 * read from the type's queue index (site, time, participant, entered in error, version).
 */
export async function queueCounts(db: Executor, f: QueueFilter): Promise<QueueCountRow[]> {
	if (none(f)) return [];
	const filter = { ...f, entityType: undefined, changedSinceSigned: undefined };
	const parts = SIGNABLE_TYPES.map((type) =>
		unsigned(db, type, filter).select([
			sql<SignableType>`${type}`.as('entity_type'),
			sql<number>`count(*)`.as('n'),
			sql<number>`coalesce(sum(${oneIf(signedBy(type, false))}), 0)`.as('changed')
		])
	);
	const [first, ...rest] = parts;
	const rows = await rest.reduce((u, part) => u.unionAll(part), first!).execute();
	return rows.flatMap((r) => [
		{ entity_type: r.entity_type, signed_before: 1, n: Number(r.changed) },
		{ entity_type: r.entity_type, signed_before: 0, n: Number(r.n) - Number(r.changed) }
	]);
}

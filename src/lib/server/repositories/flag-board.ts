// The review board's open flags in SQL: its cards (one per record that raised flags) ordered and
// cut a page at a time, the counts over every open flag, and the flags of the cards on a page, so
// a board costs what it shows however many flags are open.
import { sql, type SqlBool } from 'kysely';
import type { Executor } from '../db';
import { oneIf } from '../db/portable';
import type { FlagLevel } from '../../domain/protocol/codes';
import { FLAG_SEVERITY_RANK, OPEN_FLAG_STATUSES, type FlagWithSubject } from './flags';

export interface BoardScope {
	siteIds: number[] | 'all';
	/** Narrowed by the board's filters: a site code, a subject code. */
	siteCode?: string;
	subjectCode?: string;
	/** Cards with a flag at this level / with a flag nobody has acknowledged. */
	level?: FlagLevel;
	unacknowledged?: boolean;
}

/** The key a card sorts by: most severe level, then its first flag's time, then the record. */
export type CardKey = [rank: number, raisedAt: string, sourceType: string, sourceId: number];

export interface CardRow {
	source_type: string;
	source_id: number;
	rank: number;
	raised_at: string;
}

const none = (s: BoardScope) => s.siteIds !== 'all' && s.siteIds.length === 0;

function openFlags(db: Executor, s: BoardScope) {
	let q = db
		.selectFrom('flag')
		.innerJoin('participant', 'participant.id', 'flag.participant_id')
		.innerJoin('site', 'site.id', 'flag.site_id')
		.where('flag.status', 'in', [...OPEN_FLAG_STATUSES]);
	if (s.siteIds !== 'all') q = q.where('flag.site_id', 'in', s.siteIds);
	if (s.siteCode !== undefined) q = q.where('site.code', '=', s.siteCode);
	if (s.subjectCode !== undefined) q = q.where('participant.subject_code', '=', s.subjectCode);
	return q;
}

/** The cards the filters keep, grouped in SQL: a table of (source, rank, raised_at). */
function cards(db: Executor, s: BoardScope) {
	let q = openFlags(db, s)
		.select([
			'flag.source_type',
			'flag.source_id',
			sql<number>`min(${FLAG_SEVERITY_RANK})`.as('rank'),
			sql<string>`min(flag.raised_at)`.as('raised_at')
		])
		.groupBy(['flag.source_type', 'flag.source_id']);
	if (s.level !== undefined) {
		q = q.having(sql<SqlBool>`sum(${oneIf(sql`flag.level = ${s.level}`)}) > 0`);
	}
	if (s.unacknowledged) {
		q = q.having(sql<SqlBool>`sum(${oneIf(sql`flag.status = 'raised'`)}) > 0`);
	}
	return q;
}

/** One page of cards after the previous page's last key, most severe first, then oldest first. */
export function openCardsPage(
	db: Executor,
	s: BoardScope,
	limit: number,
	after: CardKey | null
): Promise<CardRow[]> {
	if (none(s)) return Promise.resolve([]);
	let q = db.selectFrom(cards(db, s).as('c')).selectAll('c');
	if (after) {
		q = q.where(
			sql<SqlBool>`(c.rank, c.raised_at, c.source_type, c.source_id) > (${after[0]}, ${after[1]}, ${after[2]}, ${after[3]})`
		);
	}
	return q
		.orderBy('c.rank')
		.orderBy('c.raised_at')
		.orderBy('c.source_type')
		.orderBy('c.source_id')
		.limit(limit)
		.execute() as Promise<CardRow[]>;
}

/** How many cards the filters keep. */
export async function countOpenCards(db: Executor, s: BoardScope): Promise<number> {
	if (none(s)) return 0;
	const row = await db
		.selectFrom(cards(db, s).as('c'))
		.select(sql<number>`count(*)`.as('n'))
		.executeTakeFirst();
	return Number(row?.n ?? 0);
}

export interface OpenFlagCounts {
	flags: number;
	unacknowledged: number;
	urgentUnacknowledged: number;
}

/** Every open flag in scope, counted: all, not yet acknowledged, urgent and not acknowledged. */
export async function openFlagCounts(db: Executor, s: BoardScope): Promise<OpenFlagCounts> {
	if (none(s)) return { flags: 0, unacknowledged: 0, urgentUnacknowledged: 0 };
	const row = await openFlags(db, s)
		.select([
			sql<number>`count(*)`.as('flags'),
			sql<number>`coalesce(sum(${oneIf(sql`flag.status = 'raised'`)}), 0)`.as('unack'),
			sql<number>`coalesce(sum(${oneIf(sql`flag.status = 'raised' and flag.level = 'urgent'`)}), 0)`.as(
				'urgent'
			)
		])
		.executeTakeFirst();
	return {
		flags: Number(row?.flags ?? 0),
		unacknowledged: Number(row?.unack ?? 0),
		urgentUnacknowledged: Number(row?.urgent ?? 0)
	};
}

/** The open flags of these cards (the page's), with subject and site codes. */
export function openFlagsOfCards(
	db: Executor,
	s: BoardScope,
	keys: Array<Pick<CardRow, 'source_type' | 'source_id'>>
): Promise<FlagWithSubject[]> {
	if (none(s) || keys.length === 0) return Promise.resolve([]);
	// One `source_id in (…)` per source type (a page has two or three types), not one pair of
	// comparisons per card: Kysely builds and compiles that expression for every view, and the
	// board's page of 25 cards spent more doing so than SQLite spent running it.
	const idsByType = new Map<string, number[]>();
	for (const k of keys) {
		const ids = idsByType.get(k.source_type);
		if (ids) ids.push(k.source_id);
		else idsByType.set(k.source_type, [k.source_id]);
	}
	return openFlags(db, { siteIds: s.siteIds })
		.selectAll('flag')
		.select(['participant.subject_code', 'site.code as site_code'])
		.where((eb) =>
			eb.or(
				[...idsByType].map(([type, ids]) =>
					eb.and([eb('flag.source_type', '=', type), eb('flag.source_id', 'in', ids)])
				)
			)
		)
		.orderBy('flag.raised_at', 'desc')
		.orderBy('flag.id', 'desc')
		.execute();
}

export interface AlertableRow {
	id: number;
	level: FlagLevel;
	subject_code: string;
	message: string;
}

/** Open action and urgent flags nobody has acknowledged yet, newest first, at most `limit`. */
export function unacknowledgedAlerts(
	db: Executor,
	s: BoardScope,
	limit: number
): Promise<AlertableRow[]> {
	if (none(s)) return Promise.resolve([]);
	return openFlags(db, { siteIds: s.siteIds })
		.select(['flag.id', 'flag.level', 'participant.subject_code', 'flag.message'])
		.where('flag.status', '=', 'raised')
		.where('flag.level', 'in', ['urgent', 'action'])
		.orderBy('flag.id', 'desc')
		.limit(limit)
		.execute() as Promise<AlertableRow[]>;
}

/** The subject codes with open flags in scope (the board's participant filter). */
export async function subjectsWithOpenFlags(db: Executor, s: BoardScope): Promise<string[]> {
	if (none(s)) return [];
	const rows = await openFlags(db, { siteIds: s.siteIds })
		.select('participant.subject_code')
		.distinct()
		.orderBy('participant.subject_code')
		.execute();
	return rows.map((r) => r.subject_code);
}

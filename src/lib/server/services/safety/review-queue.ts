// The investigator's review queue: records at their sites waiting for a valid signature, including
// ones whose signature a later change voided. Filtered, ordered and paged in SQL.
import type { ScaleId } from '../../../domain/scales';
import { REVIEW_PAGE_SIZE, reviewQueueQuery } from '../../../schemas/review-queue';
import { assertSiteAccess, readableSites, requireRole } from '../../auth/access';
import type { ServiceContext } from '../../runtime/context';
import { parseInput } from '../../runtime/validate';
import { SIGNABLE_TYPES, type SignableType } from '../../repositories/signatures';
import * as repo from '../../repositories/review-queue';
import type { QueueCountRow, QueueFilter, QueueRow } from '../../repositories/review-queue';
import { auditHead } from '../../repositories/audit';
import type { Db } from '../../db';
import type { Site } from '../../db/schema';
import { readsOf } from '../../reads/executor';
import { readFor } from '../../runtime/context';
import { listSites } from '../people/sites';
import { componentsNeeded, type ComponentsNeeded } from '../signatures/signing-components';
import { SCALE_LABELS } from '../../../domain/scales';

const PATH: Record<SignableType, string> = {
	dosing_session: '/sessions',
	adverse_event: '/adverse-events',
	scale_administration: '/scales',
	protocol_deviation: '/deviations'
};

export const RECORD_TYPE_LABELS: Record<SignableType, string> = {
	dosing_session: 'Dosing sessions',
	adverse_event: 'Adverse events',
	scale_administration: 'Rating scales',
	protocol_deviation: 'Protocol deviations'
};

export interface ReviewQueueItem {
	entityType: SignableType;
	entityId: number;
	/** The review version a signature now is bound to (send it back when signing). */
	version: number;
	participantId: number;
	subjectCode: string;
	siteCode: string;
	timeZone: string;
	/** e.g. "Dosing session 1", "Adverse event: headache", "MADRS". */
	what: string;
	/** When it happened (session T0, AE onset, scale administered), UTC. */
	at: string;
	href: string;
	/** Signed once, then changed: every signature is void now. */
	changedSinceSigned: boolean;
}

export interface ReviewQueuePage {
	items: ReviewQueueItem[];
	/** Records matching every filter. */
	total: number;
	page: number;
	pageSize: number;
	pages: number;
	/** What each filter choice would show, under the other filters. */
	counts: {
		byType: Record<SignableType, number>;
		changedSinceSigned: number;
		neverSigned: number;
	};
}

function describe(type: SignableType, detail: string): string {
	if (type === 'dosing_session') return `Dosing session ${detail}`;
	if (type === 'adverse_event') return `Adverse event: ${detail}`;
	if (type === 'protocol_deviation') return `Protocol deviation: ${detail}`;
	return SCALE_LABELS[detail as ScaleId] ?? detail;
}

export const toQueueItem = (r: QueueRow): ReviewQueueItem => ({
	entityType: r.entity_type,
	entityId: r.entity_id,
	version: r.review_version,
	participantId: r.participant_id,
	subjectCode: r.subject_code,
	siteCode: r.site_code,
	timeZone: r.timezone,
	what: describe(r.entity_type, r.detail),
	at: r.at,
	href: `${PATH[r.entity_type]}/${r.entity_id}`,
	changedSinceSigned: r.signed_before === 1
});

const nextDay = (day: string) =>
	new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString();

/** The sites to read: the actor's, or one of them (another site is "not found"). */
export function queueSites(ctx: ServiceContext, siteId: number | undefined): number[] | 'all' {
	requireRole(ctx.actor, 'investigator', 'auditor');
	if (siteId === undefined) return readableSites(ctx.actor, { adminSeesAll: false });
	assertSiteAccess(ctx.actor, siteId, { adminSeesAll: false, what: 'Site' });
	return [siteId];
}

/**
 * The queue's counts read every waiting record, where a page reads only what it shows; they change
 * only with a change to a record or a signature, and every such change appends to the audit trail
 * in its own transaction. So counts are kept by the trail's head: the same head, the same counts.
 * The head's hash is in the key, not only its number: the key then names one history of one
 * database, so the counts are shared by every connection a read worker or the PostgreSQL read
 * pool hands a job (a new handle each time), and two databases never share an entry.
 */
const countsByHead = new Map<string, QueueCountRow[]>();
const COUNTS_KEPT = 64;

async function queueCountsAt(db: Db, f: QueueFilter): Promise<QueueCountRow[]> {
	const head = await auditHead(db);
	if (!head) return repo.queueCounts(db, f);
	const key = `${head.seq}|${head.hash}|${JSON.stringify(f)}`;
	const hit = countsByHead.get(key);
	if (hit) return hit;
	const rows = await repo.queueCounts(db, f);
	if (countsByHead.size >= COUNTS_KEPT) countsByHead.clear();
	countsByHead.set(key, rows);
	return rows;
}

/** What one page of the queue reads, as plain data: the filter checked and the page settled. */
export interface QueueRead {
	filter: QueueFilter;
	type: SignableType | undefined;
	changed: boolean | undefined;
	page: number;
	pageSize: number;
	oldestFirst: boolean;
}

/** The role, the query's fields and the site (another site is "not found"): before any read. */
function queueRead(ctx: ServiceContext, query: unknown): QueueRead {
	requireRole(ctx.actor, 'investigator', 'auditor');
	const q = parseInput(reviewQueueQuery, query);
	return {
		filter: {
			siteIds: queueSites(ctx, q.siteId),
			participantId: q.participantId,
			subjectCode: q.participant,
			from: q.from ? `${q.from}T00:00:00.000Z` : undefined,
			before: q.to ? nextDay(q.to) : undefined
		},
		type: q.type,
		changed: q.changed === undefined ? undefined : q.changed === 'true',
		page: q.page ?? 1,
		pageSize: q.pageSize ?? REVIEW_PAGE_SIZE,
		oldestFirst: q.order === 'oldest'
	};
}

/**
 * One page of records at the actor's sites waiting for a valid signature, newest first. The
 * checks here; the reads in one read job, off the request thread.
 */
export async function reviewQueue(
	ctx: ServiceContext,
	query: unknown = {}
): Promise<ReviewQueuePage> {
	return readsOf(ctx).value('reviewQueue', queueRead(ctx, query));
}

/** The queue page's reads (a read job, after reviewQueue's checks). */
export async function reviewQueueReads(db: Db, r: QueueRead): Promise<ReviewQueuePage> {
	const { filter, type, changed, page, pageSize } = r;
	const [rows, countRows] = await Promise.all([
		repo.queuePage(
			db,
			{ ...filter, entityType: type, changedSinceSigned: changed },
			{ limit: pageSize, offset: (page - 1) * pageSize, oldestFirst: r.oldestFirst }
		),
		queueCountsAt(db, filter)
	]);
	const byType = Object.fromEntries(SIGNABLE_TYPES.map((t) => [t, 0])) as Record<
		SignableType,
		number
	>;
	const counts = { byType, changedSinceSigned: 0, neverSigned: 0 };
	let total = 0;
	for (const c of countRows) {
		const typeOk = type === undefined || c.entity_type === type;
		const changedOk = changed === undefined || (c.signed_before === 1) === changed;
		if (changedOk) byType[c.entity_type] += c.n;
		if (typeOk) counts[c.signed_before === 1 ? 'changedSinceSigned' : 'neverSigned'] += c.n;
		if (typeOk && changedOk) total += c.n;
	}
	return {
		items: rows.map(toQueueItem),
		total,
		page,
		pageSize,
		pages: Math.max(1, Math.ceil(total / pageSize)),
		counts
	};
}

/** Everything the review queue page shows besides its forms' fixed text. */
export interface ReviewQueueView {
	queue: ReviewQueuePage;
	sites: Site[];
	components: ComponentsNeeded;
}

/** The queue page's view: the checks here, every read of the page in one read job. */
export async function reviewQueueView(
	ctx: ServiceContext,
	query: unknown = {}
): Promise<ReviewQueueView> {
	return readsOf(ctx).value('reviewQueueView', { for: readFor(ctx), read: queueRead(ctx, query) });
}

/** The queue page's reads (a read job, after reviewQueueView's checks). */
export async function reviewQueueViewReads(
	ctx: ServiceContext,
	r: QueueRead
): Promise<ReviewQueueView> {
	const [queue, sites, components] = await Promise.all([
		reviewQueueReads(ctx.db, r),
		listSites(ctx),
		componentsNeeded(ctx)
	]);
	return { queue, sites, components };
}

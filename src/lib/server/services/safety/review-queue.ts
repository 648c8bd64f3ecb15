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
 */
const countsByHead = new WeakMap<Db, Map<string, QueueCountRow[]>>();
const COUNTS_KEPT = 64;

async function queueCountsAt(db: Db, f: QueueFilter): Promise<QueueCountRow[]> {
	const head = await auditHead(db);
	const key = `${head?.seq ?? 0}|${JSON.stringify(f)}`;
	let kept = countsByHead.get(db);
	if (!kept) countsByHead.set(db, (kept = new Map()));
	const hit = kept.get(key);
	if (hit) return hit;
	const rows = await repo.queueCounts(db, f);
	if (kept.size >= COUNTS_KEPT) kept.clear();
	kept.set(key, rows);
	return rows;
}

/** One page of records at the actor's sites waiting for a valid signature, newest first. */
export async function reviewQueue(
	ctx: ServiceContext,
	query: unknown = {}
): Promise<ReviewQueuePage> {
	requireRole(ctx.actor, 'investigator', 'auditor');
	const q = parseInput(reviewQueueQuery, query);
	const filter: QueueFilter = {
		siteIds: queueSites(ctx, q.siteId),
		participantId: q.participantId,
		from: q.from ? `${q.from}T00:00:00.000Z` : undefined,
		before: q.to ? nextDay(q.to) : undefined
	};
	const changed = q.changed === undefined ? undefined : q.changed === 'true';
	const pageSize = q.pageSize ?? REVIEW_PAGE_SIZE;
	const page = q.page ?? 1;
	const [rows, countRows] = await Promise.all([
		repo.queuePage(
			ctx.db,
			{ ...filter, entityType: q.type, changedSinceSigned: changed },
			{ limit: pageSize, offset: (page - 1) * pageSize, oldestFirst: q.order === 'oldest' }
		),
		queueCountsAt(ctx.db, filter)
	]);
	const byType = Object.fromEntries(SIGNABLE_TYPES.map((t) => [t, 0])) as Record<
		SignableType,
		number
	>;
	const counts = { byType, changedSinceSigned: 0, neverSigned: 0 };
	let total = 0;
	for (const c of countRows) {
		const typeOk = q.type === undefined || c.entity_type === q.type;
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

// Reading, filtering and verifying the audit trail.
import type { DataMismatch } from '../../audit/data-vs-trail';
import { auditTrailQuery, type AuditTrailQuery } from '../../../schemas/audit-trail';
import { AUDIT_ACTIONS } from '../../audit/actions';
import { joinChainParts, type ChainProblem } from '../../audit/chain';
import { checkCheckpoints, type CheckpointReport } from '../../audit/checkpoints';
import { existingSigningKey } from '../../audit/signing-key';
import { headSignatureProblem } from '../../audit/head-signature';
import { checkWitness, witnessPath, type WitnessReport } from '../../audit/witness';
import { readableSites, requireRole } from '../../auth/access';
import { readFor, type ServiceContext } from '../../runtime/context';
import type { AuditEvent, Site } from '../../db/schema';
import { listSites } from '../people/sites';
import { NotFoundError } from '../../runtime/errors';
import * as repo from '../../repositories/audit';
import type { AuditFilter } from '../../repositories/audit';
import { parseInput } from '../../runtime/validate';
import { readsOf } from '../../reads/executor';
import type { ValueJobResult } from '../../reads/jobs';

export const AUDIT_PAGE_SIZE = 100;

/** The trail an actor may read: admins (and the operator) all of it; auditors their sites' events. */
export function auditScope(ctx: ServiceContext): Pick<AuditFilter, 'siteIds' | 'includeSiteless'> {
	requireRole(ctx.actor, 'admin', 'auditor');
	const siteIds = readableSites(ctx.actor, { adminSeesAll: true });
	return { siteIds, includeSiteless: siteIds === 'all' };
}

export type AuditSelection = Omit<AuditFilter, 'limit' | 'order' | 'afterSeq' | 'beforeSeq'>;

/** The scope narrowed by the reader's filters; a subject code becomes its participants' ids. */
export async function auditSelection(
	ctx: ServiceContext,
	q: AuditTrailQuery
): Promise<AuditSelection> {
	const scope = auditScope(ctx);
	const participantIds =
		q.participant === undefined
			? undefined
			: await repo.participantIdsByCode(ctx.db, q.participant, scope.siteIds);
	return {
		...scope,
		siteId: q.siteId,
		participantIds,
		entity: q.entityType ? { type: q.entityType, id: q.entityId } : undefined,
		actor: q.user,
		...actionFilter(q.action),
		from: q.from,
		to: q.to
	};
}

/**
 * An action with a dot is one action; without, a family: its actions in the vocabulary ('flag' is
 * flag.raise, flag.close …; every action is written from it: audit/log.ts).
 */
function actionFilter(action: string | undefined): Pick<AuditSelection, 'action' | 'actions'> {
	if (action === undefined || action === '') return {};
	if (action.includes('.')) return { action };
	return { actions: Object.values(AUDIT_ACTIONS).filter((a) => a.startsWith(`${action}.`)) };
}

export function parseAuditQuery(input: unknown): AuditTrailQuery {
	return parseInput(auditTrailQuery, input);
}

/**
 * Newest first. Admins see everything; auditors see events at the sites granted to them
 * (events without a site, such as sign-ins, are an administrator's concern).
 */
export async function listAuditTrail(
	ctx: ServiceContext,
	opts: { beforeSeq?: number; query?: unknown; limit?: number } = {}
): Promise<AuditEvent[]> {
	const q = parseAuditQuery(opts.query ?? {});
	const selection = await auditSelection(ctx, q);
	return repo.listAuditEvents(ctx.db, {
		...selection,
		beforeSeq: opts.beforeSeq ?? q.before,
		limit: opts.limit ?? q.limit ?? AUDIT_PAGE_SIZE
	});
}

export interface AuditTrailPage {
	query: AuditTrailQuery;
	events: AuditEvent[];
	/** The `before` of the next (older) page, or null on the last. */
	nextBefore: number | null;
	/** The sites the reader holds (the page's site filter; each event's site code). */
	sites: Site[];
}

/**
 * One page of the filtered trail, as the page and GET /api/v1/audit show it: the role and the
 * filters are checked here, on the request thread (a spoilt filter is a field error before any
 * job); the page, its participants' records and the sites are read in one read job, so a filter
 * that reads far (a rare action, a record type) does not hold the request thread.
 */
export async function exploreAuditTrail(
	ctx: ServiceContext,
	input: unknown
): Promise<AuditTrailPage> {
	const query = parseAuditQuery(input);
	auditScope(ctx);
	return readsOf(ctx).value('auditTrailPage', { for: readFor(ctx), query });
}

/** The reads of one page of the trail (a read job; exploreAuditTrail checked first). */
export async function auditTrailPageReads(
	ctx: ServiceContext,
	query: AuditTrailQuery
): Promise<AuditTrailPage> {
	const limit = query.limit ?? AUDIT_PAGE_SIZE;
	const [events, sites] = await Promise.all([
		auditSelection(ctx, query).then((selection) =>
			repo.listAuditEvents(ctx.db, { ...selection, beforeSeq: query.before, limit })
		),
		listSites(ctx)
	]);
	const nextBefore = events.length === limit ? events[events.length - 1]!.seq : null;
	return { query, events, nextBefore, sites };
}

const HISTORY_LIMIT = 2000;

export interface RecordHistory {
	entityType: string;
	entityId: string;
	/** The record's own events, oldest first: creation, corrections, entered in error. */
	versions: AuditEvent[];
	/** Signatures of the record and flags raised from it, oldest first. */
	related: AuditEvent[];
}

/** Every audited version of one record; "not found" when none is visible to the reader. */
export async function auditRecordHistory(
	ctx: ServiceContext,
	entityType: string,
	entityId: string
): Promise<RecordHistory> {
	const scope = auditScope(ctx);
	const entity = { type: entityType, id: entityId };
	const versions = await repo.listAuditEvents(ctx.db, {
		...scope,
		entity,
		order: 'asc',
		limit: HISTORY_LIMIT
	});
	if (versions.length === 0) throw new NotFoundError('Record');
	const related = await repo.relatedEvents(ctx.db, scope, entity, HISTORY_LIMIT);
	return { entityType, entityId, versions, related };
}

export interface ChainReport {
	ok: boolean;
	rows: number;
	head: { seq: number; hash: string } | null;
	/**
	 * The first row that does not chain; or, when the chain is whole but a signed checkpoint no
	 * longer matches it (the table was rewritten), that checkpoint, as kind 'hash'.
	 */
	problem: ChainProblem | { seq: number; kind: 'data'; message: string } | null;
	checkpoints: CheckpointReport;
	/** Why the signed head does not hold (null: it holds, or no key was at hand). */
	headSignature: string | null;
	/** The database against the witness log outside it (null: no witness file given). */
	witness: WitnessReport | null;
	/** Clinical records whose stored values are not what the trail says (audit/data-vs-trail.ts). */
	data: DataMismatch[];
}

/** Rows in one run of the chain's recomputation (one read job). */
export const CHAIN_PART_ROWS = 50_000;
/**
 * Runs walked at once. The data check (a job of about the chain's size) runs beside them on the
 * other read worker: with two lanes, the second lane's run waited behind the whole data check on
 * its worker (the pool gives a job the least busy worker), and verify took the data check's time
 * plus a run's (3.5 s against 2.5 s raw at the site tier); with one lane the chain keeps one
 * worker and the data check the other (2.9–3.1 s).
 */
const CHAIN_LANES = 1;

/**
 * The whole chain recomputed, in read jobs of CHAIN_PART_ROWS rows each (each row's hash
 * needs only the row, which names the hash before it) and joined into what one walk from the
 * first row finds (chain.ts joinChainParts): the same first problem, the same count. Runs below
 * the last row seen now hold rows that only a tampering changes; the last run reads to the end
 * of the trail and the recorded head in one snapshot. CHAIN_LANES lanes take the runs in order.
 */
async function recomputeChain(
	ctx: ServiceContext,
	reads: ReturnType<typeof readsOf>,
	partRows = CHAIN_PART_ROWS
) {
	const last = await repo.lastAuditSeq(ctx.db);
	const bounds: { afterSeq: number; upToSeq: number | null }[] = [];
	for (let after = 0; ; after += partRows) {
		const upTo = after + partRows;
		bounds.push({ afterSeq: after, upToSeq: upTo < last ? upTo : null });
		if (upTo >= last) break;
	}
	const results = new Array<ValueJobResult<'auditChainPart'>>(bounds.length);
	let next = 0;
	const lane = async () => {
		while (next < bounds.length) {
			const i = next++;
			results[i] = await reads.value('auditChainPart', bounds[i]!);
		}
	};
	await Promise.all(Array.from({ length: Math.min(CHAIN_LANES, bounds.length) }, lane));
	const head = results.at(-1)!.head;
	const { count, problem } = joinChainParts(
		results.map((r) => r.part),
		head
	);
	return { rows: count, head, problem };
}

/**
 * Recomputes the whole chain from the first row and names the first row that does not match,
 * then holds every signed checkpoint against it. Checkpoint signatures are checked with the
 * signing key when it exists (`opts.key`, else the key file; verification never creates one).
 */
export async function verifyAuditChain(
	ctx: ServiceContext,
	opts: {
		key?: Parameters<typeof checkCheckpoints>[1];
		witnessFile?: string | null;
		/** Rows in one run of the chain's recomputation (CHAIN_PART_ROWS; tests cut it smaller). */
		chainPartRows?: number;
	} = {}
): Promise<ChainReport> {
	requireRole(ctx.actor, 'admin', 'auditor');
	// Both read every row, so both are read jobs, off the request thread; on read workers they run
	// side by side, each in one snapshot of its own.
	const reads = readsOf(ctx);
	const [chain, records] = await Promise.all([
		recomputeChain(ctx, reads, opts.chainPartRows),
		reads.value('dataVsTrail', {})
	]);
	const { head, problem: chainProblem } = chain;
	const key = opts.key === undefined ? existingSigningKey() : opts.key;
	const checkpoints = await checkCheckpoints(ctx.db, key);
	const first = checkpoints.mismatched[0];
	const signedHead = await repo.signedAuditHead(ctx.db);
	const headSignature = key && signedHead ? headSignatureProblem(signedHead, key) : null;
	const witnessFile = opts.witnessFile === undefined ? witnessPath() : opts.witnessFile;
	const witness = witnessFile ? await checkWitness(ctx.db, witnessFile, key) : null;
	const witnessProblem = witness?.problems[0];
	// The records against their trail: only meaningful once the trail itself holds.
	const data = chainProblem ? [] : records;
	const problem =
		chainProblem ??
		(headSignature
			? { seq: signedHead!.seq, kind: 'head' as const, message: headSignature }
			: null) ??
		(first ? { seq: first.seq, kind: 'hash' as const, message: first.message } : null) ??
		(witnessProblem
			? { seq: head?.seq ?? 0, kind: 'head' as const, message: witnessProblem }
			: null) ??
		(data[0] ? { seq: head?.seq ?? 0, kind: 'data' as const, message: data[0].message } : null);
	return {
		ok: problem === null,
		rows: chain.rows,
		head,
		problem,
		checkpoints,
		headSignature,
		witness,
		data
	};
}

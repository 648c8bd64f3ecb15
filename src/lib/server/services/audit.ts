// Reading and verifying the audit trail.
import { ChainVerifier, type ChainProblem } from '../audit/chain';
import { readableSites, requireRole } from '../auth/access';
import type { ServiceContext } from '../context';
import type { AuditEvent } from '../db/schema';
import * as repo from '../repositories/audit';

export const AUDIT_PAGE_SIZE = 100;

/**
 * Newest first. Admins see everything; auditors see events at the sites granted to them
 * (events without a site, such as sign-ins, are an administrator's concern).
 */
export async function listAuditTrail(
	ctx: ServiceContext,
	opts: { beforeSeq?: number } = {}
): Promise<AuditEvent[]> {
	requireRole(ctx.actor, 'admin', 'auditor');
	const siteIds = readableSites(ctx.actor, { adminSeesAll: true });
	return repo.listAuditEvents(ctx.db, {
		siteIds,
		includeSiteless: siteIds === 'all',
		beforeSeq: opts.beforeSeq,
		limit: AUDIT_PAGE_SIZE
	});
}

export interface ChainReport {
	ok: boolean;
	rows: number;
	head: { seq: number; hash: string } | null;
	problem: ChainProblem | null;
}

/** Recomputes the whole chain from the first row and names the first row that does not match. */
export async function verifyAuditChain(ctx: ServiceContext): Promise<ChainReport> {
	requireRole(ctx.actor, 'admin', 'auditor');
	const db = ctx.db;
	const verifier = new ChainVerifier();
	for await (const row of repo.auditEventsInOrder(db)) {
		if (!verifier.push(row)) break;
	}
	const head = (await repo.auditHead(db)) ?? null;
	const problem = verifier.finish(head);
	return { ok: problem === null, rows: verifier.count, head, problem };
}

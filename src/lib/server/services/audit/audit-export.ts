// The filtered audit trail as a CSV download: audited when it starts, then streamed oldest first,
// one keyset page per query, as fast as the client reads.
import { appendAudit } from '../../audit/log';
import type { ServiceContext } from '../../runtime/context';
import { writeTransaction } from '../../db/transaction';
import { readsOf } from '../../reads/executor';
import * as sitesRepo from '../../repositories/sites';
import { auditSelection, parseAuditQuery } from './audit';

export interface AuditDownload {
	filename: string;
	contentType: string;
	stream: ReadableStream<Uint8Array>;
}

/** Site id → code, for every site (codes are not secret; the rows are scoped). */
export async function siteCodeMap(ctx: ServiceContext): Promise<Map<number, string>> {
	const sites = await sitesRepo.listSites(ctx.db, 'all');
	return new Map(sites.map((s) => [s.id, s.code]));
}

export function stampOf(now: Date): string {
	return now
		.toISOString()
		.replace(/[-:]/g, '')
		.replace(/\.\d{3}/, '');
}

export async function auditTrailCsv(
	ctx: ServiceContext,
	input: unknown,
	opts: { pageSize?: number } = {}
): Promise<AuditDownload> {
	const query = parseAuditQuery(input);
	const selection = await auditSelection(ctx, query);
	const { before: _before, limit: _limit, ...filters } = query;
	await writeTransaction(ctx.db, (trx) =>
		appendAudit(trx, ctx, {
			action: 'export.create',
			entityType: 'export',
			entityId: null,
			siteId: query.siteId ?? null,
			newValues: { kind: 'audit-csv', filters }
		})
	);
	const codes = await siteCodeMap(ctx);
	return {
		filename: `vigil-audit-trail-${stampOf(ctx.now())}.csv`,
		contentType: 'text/csv; charset=utf-8; header=present',
		stream: readsOf(ctx).stream('auditCsv', { selection, codes, pageSize: opts.pageSize })
	};
}

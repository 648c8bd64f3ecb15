import type { Executor } from '../db';
import type { AuditEvent } from '../db/schema';

export interface AuditFilter {
	siteIds: number[] | 'all';
	/** Include events with no site (sign-ins, user changes); admins and the operator only. */
	includeSiteless: boolean;
	beforeSeq?: number;
	limit: number;
}

export function listAuditEvents(db: Executor, f: AuditFilter): Promise<AuditEvent[]> {
	let q = db.selectFrom('audit_event').selectAll().orderBy('seq', 'desc').limit(f.limit);
	if (f.beforeSeq !== undefined) q = q.where('seq', '<', f.beforeSeq);
	const siteIds = f.siteIds;
	if (siteIds !== 'all') {
		q = q.where((eb) => {
			const own = siteIds.length > 0 ? [eb('site_id', 'in', siteIds)] : [];
			const siteless = f.includeSiteless ? [eb('site_id', 'is', null)] : [];
			const any = [...own, ...siteless];
			return any.length > 0 ? eb.or(any) : eb.lit(false);
		});
	} else if (!f.includeSiteless) {
		q = q.where('site_id', 'is not', null);
	}
	return q.execute();
}

/** The whole trail in order, a page at a time, so verification never holds it all in memory. */
export async function* auditEventsInOrder(
	db: Executor,
	pageSize = 1000
): AsyncGenerator<AuditEvent> {
	let after = 0;
	for (;;) {
		const page = await db
			.selectFrom('audit_event')
			.selectAll()
			.where('seq', '>', after)
			.orderBy('seq')
			.limit(pageSize)
			.execute();
		for (const row of page) yield row;
		if (page.length < pageSize) return;
		after = page[page.length - 1]!.seq;
	}
}

export function auditHead(db: Executor): Promise<{ seq: number; hash: string } | undefined> {
	return db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
}

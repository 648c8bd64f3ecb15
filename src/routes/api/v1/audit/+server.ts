import { apiRoute } from '$lib/server/runtime/api-handler';
import { exploreAuditTrail } from '$lib/server/services/audit/audit';
import { auditEventView } from '$lib/server/services/audit/audit-views';

// The filtered trail, newest first, a page at a time: follow `nextBefore` as `before`.
export const GET = apiRoute(async (ctx, event) => {
	const page = await exploreAuditTrail(ctx, Object.fromEntries(event.url.searchParams));
	// The reader's sites, read with the page: every event shown is at one of them (or at none).
	const codes = new Map(page.sites.map((s) => [s.id, s.code]));
	return {
		events: page.events.map((e) => auditEventView(e, codes)),
		nextBefore: page.nextBefore
	};
});

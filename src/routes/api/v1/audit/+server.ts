import { apiRoute } from '$lib/server/runtime/api-handler';
import { exploreAuditTrail } from '$lib/server/services/audit/audit';
import { auditEventView } from '$lib/server/services/audit/audit-views';
import { siteCodeMap } from '$lib/server/services/audit/audit-export';

// The filtered trail, newest first, a page at a time: follow `nextBefore` as `before`.
export const GET = apiRoute(async (ctx, event) => {
	const page = await exploreAuditTrail(ctx, Object.fromEntries(event.url.searchParams));
	const codes = await siteCodeMap(ctx);
	return {
		events: page.events.map((e) => auditEventView(e, codes)),
		nextBefore: page.nextBefore
	};
});

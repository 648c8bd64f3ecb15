import { apiRoute, parseQuery } from '$lib/server/runtime/api-handler';
import { flagListQuery } from '$lib/server/api/schemas';
import { listFlagsPage } from '$lib/server/services/safety/flags';

export const GET = apiRoute(async (ctx, event) => {
	const q = parseQuery(flagListQuery, event.url);
	// Open flags unless asked otherwise: that is what a client watching a site wants.
	const page = await listFlagsPage(ctx, {
		open: q.open !== 'false',
		siteId: q.siteId,
		participantId: q.participantId,
		sessionId: q.sessionId,
		limit: q.limit,
		cursor: q.cursor
	});
	return { flags: page.items, next: page.next };
});

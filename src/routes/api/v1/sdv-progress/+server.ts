import { apiRoute, parseQuery } from '$lib/server/runtime/api-handler';
import { sdvProgressQuery } from '$lib/server/api/schemas';
import { sdvProgressPage } from '$lib/server/services/monitoring/sdv-progress';

export const GET = apiRoute(async (ctx, event) => {
	const q = parseQuery(sdvProgressQuery, event.url);
	const page = await sdvProgressPage(ctx, { limit: q.limit, cursor: q.cursor });
	return { progress: page.items, next: page.next };
});

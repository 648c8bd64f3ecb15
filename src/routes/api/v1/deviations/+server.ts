import { apiRoute, parseQuery } from '$lib/server/runtime/api-handler';
import { deviationListQuery } from '$lib/server/api/schemas';
import { listDeviations } from '$lib/server/services/protocol/deviations';

export const GET = apiRoute(async (ctx, event) => {
	const q = parseQuery(deviationListQuery, event.url);
	return { deviations: await listDeviations(ctx, { siteId: q.siteId }) };
});

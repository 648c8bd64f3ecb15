import { apiRoute } from '$lib/server/runtime/api-handler';
import { listDataQueries, raiseQuery } from '$lib/server/services/monitoring/queries';

export const GET = apiRoute(async (ctx, event) => ({
	queries: await listDataQueries(ctx, Object.fromEntries(event.url.searchParams))
}));

export const POST = apiRoute(async (ctx, _event, body) => raiseQuery(ctx, body), { status: 201 });

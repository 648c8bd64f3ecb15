import { apiRoute } from '$lib/server/runtime/api-handler';
import { reviewQueue } from '$lib/server/services/signatures/signatures';

export const GET = apiRoute(async (ctx, event) =>
	reviewQueue(ctx, Object.fromEntries(event.url.searchParams))
);

import { apiRoute, idParam } from '$lib/server/runtime/api-handler';
import { getDeviation, reviewDeviation } from '$lib/server/services/protocol/deviations';

export const GET = apiRoute(async (ctx, event) => getDeviation(ctx, idParam(event)));

export const PATCH = apiRoute(async (ctx, event, body) => {
	const id = idParam(event);
	await reviewDeviation(ctx, id, body);
	return getDeviation(ctx, id);
});

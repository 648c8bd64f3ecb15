import { apiRoute, fieldOf, idParam } from '$lib/server/runtime/api-handler';
import { conmedJson } from '$lib/server/api/trial-json';
import { getConmed, markConmedEnteredInError } from '$lib/server/services/trial/conmeds';

export const POST = apiRoute(async (ctx, event, body) => {
	const id = idParam(event);
	await markConmedEnteredInError(ctx, id, { reason: fieldOf(body, 'reason') });
	return conmedJson(await getConmed(ctx, id));
});

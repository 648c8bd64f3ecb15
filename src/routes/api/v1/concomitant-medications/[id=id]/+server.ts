import { apiRoute, idParam } from '$lib/server/runtime/api-handler';
import { conmedJson } from '$lib/server/api/trial-json';
import { correctConmed, getConmed } from '$lib/server/services/trial/conmeds';

export const GET = apiRoute(async (ctx, event) => conmedJson(await getConmed(ctx, idParam(event))));

export const PATCH = apiRoute(async (ctx, event, body) => {
	const id = idParam(event);
	await correctConmed(ctx, id, body);
	return conmedJson(await getConmed(ctx, id));
});

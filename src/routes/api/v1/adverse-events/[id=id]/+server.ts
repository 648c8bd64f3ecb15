import { apiRoute, idParam } from '$lib/server/runtime/api-handler';
import { correctAdverseEvent, getAdverseEvent } from '$lib/server/services/capture/adverse-events';

export const GET = apiRoute(async (ctx, event) => getAdverseEvent(ctx, idParam(event)));

export const PATCH = apiRoute(async (ctx, event, body) =>
	correctAdverseEvent(ctx, idParam(event), body)
);

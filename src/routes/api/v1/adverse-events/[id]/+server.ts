import { apiRoute, idParam } from '$lib/server/api';
import { correctAdverseEvent, getAdverseEvent } from '$lib/server/services/adverse-events';

export const GET = apiRoute(async (ctx, event) => getAdverseEvent(ctx, idParam(event)));

export const PATCH = apiRoute(async (ctx, event, body) =>
	correctAdverseEvent(ctx, idParam(event), body)
);

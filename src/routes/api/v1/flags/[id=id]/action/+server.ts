import { apiRoute, idParam } from '$lib/server/runtime/api-handler';
import { recordFlagAction } from '$lib/server/services/safety/flags';

export const POST = apiRoute(async (ctx, event, body) =>
	recordFlagAction(ctx, idParam(event), body)
);

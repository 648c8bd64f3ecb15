import { apiRoute, idParam } from '$lib/server/api';
import { recordFlagAction } from '$lib/server/services/flags';

export const POST = apiRoute(async (ctx, event, body) =>
	recordFlagAction(ctx, idParam(event), body)
);

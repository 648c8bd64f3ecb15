import { apiRoute, idParam } from '$lib/server/runtime/api-handler';
import { visitJson } from '$lib/server/api/serialize';
import { recordVisit } from '$lib/server/services/capture/visits';

export const POST = apiRoute(async (ctx, event, body) =>
	visitJson(await recordVisit(ctx, idParam(event), body))
);

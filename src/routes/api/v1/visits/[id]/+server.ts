import { apiRoute, idParam } from '$lib/server/api';
import { visitJson } from '$lib/server/api/serialize';
import { recordVisit } from '$lib/server/services/visits';

export const POST = apiRoute(async (ctx, event, body) =>
	visitJson(await recordVisit(ctx, idParam(event), body))
);

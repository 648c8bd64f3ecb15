import { apiRoute, idParam } from '$lib/server/runtime/api-handler';
import { visitJson } from '$lib/server/api/serialize';
import { listVisits } from '$lib/server/services/capture/visits';

export const GET = apiRoute(async (ctx, event) => ({
	visits: (await listVisits(ctx, idParam(event))).map(visitJson)
}));

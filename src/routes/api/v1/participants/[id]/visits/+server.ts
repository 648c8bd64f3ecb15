import { apiRoute, idParam } from '$lib/server/api';
import { visitJson } from '$lib/server/api/serialize';
import { listVisits } from '$lib/server/services/visits';

export const GET = apiRoute(async (ctx, event) => ({
	visits: (await listVisits(ctx, idParam(event))).map(visitJson)
}));

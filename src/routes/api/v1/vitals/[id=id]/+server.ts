import { apiRoute, idParam } from '$lib/server/runtime/api-handler';
import { vitalReadingJson } from '$lib/server/api/serialize';
import { correctVitals, getReading } from '$lib/server/services/capture/vitals';

export const GET = apiRoute(async (ctx, event) =>
	vitalReadingJson(await getReading(ctx, idParam(event)))
);

export const PATCH = apiRoute(async (ctx, event, body) =>
	vitalReadingJson(await correctVitals(ctx, idParam(event), body))
);

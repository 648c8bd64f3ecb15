import { apiRoute, fieldOf, idParam } from '$lib/server/runtime/api-handler';
import { vitalReadingJson } from '$lib/server/api/serialize';
import { getReading, markVitalsEnteredInError } from '$lib/server/services/capture/vitals';

export const POST = apiRoute(async (ctx, event, body) => {
	const id = idParam(event);
	await markVitalsEnteredInError(ctx, id, { reason: fieldOf(body, 'reason') });
	return vitalReadingJson(await getReading(ctx, id));
});

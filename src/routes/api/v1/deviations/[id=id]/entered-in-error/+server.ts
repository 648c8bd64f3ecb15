import { apiRoute, fieldOf, idParam } from '$lib/server/runtime/api-handler';
import {
	getDeviation,
	markDeviationEnteredInError
} from '$lib/server/services/protocol/deviations';

export const POST = apiRoute(async (ctx, event, body) => {
	const id = idParam(event);
	await markDeviationEnteredInError(ctx, id, { reason: fieldOf(body, 'reason') });
	return getDeviation(ctx, id);
});

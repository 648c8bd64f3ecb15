import { apiRoute, fieldOf, idParam } from '$lib/server/api';
import { markAdverseEventEnteredInError } from '$lib/server/services/adverse-events';

export const POST = apiRoute(async (ctx, event, body) =>
	markAdverseEventEnteredInError(ctx, idParam(event), { reason: fieldOf(body, 'reason') })
);

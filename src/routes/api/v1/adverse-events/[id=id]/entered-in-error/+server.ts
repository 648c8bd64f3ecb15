import { apiRoute, fieldOf, idParam } from '$lib/server/runtime/api-handler';
import { markAdverseEventEnteredInError } from '$lib/server/services/capture/adverse-events';

export const POST = apiRoute(async (ctx, event, body) =>
	markAdverseEventEnteredInError(ctx, idParam(event), { reason: fieldOf(body, 'reason') })
);

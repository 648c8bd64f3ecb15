import { apiRoute, idParam } from '$lib/server/runtime/api-handler';
import { queryStep } from '$lib/server/services/monitoring/queries';

export const POST = apiRoute(async (ctx, event, body) =>
	queryStep(ctx, idParam(event), 'cancel', body)
);

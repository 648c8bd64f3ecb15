import { apiRoute, idParam } from '$lib/server/runtime/api-handler';
import { unfreezeCasebook } from '$lib/server/services/monitoring/freeze-lock';

export const POST = apiRoute(async (ctx, event, body) =>
	unfreezeCasebook(ctx, idParam(event), body)
);

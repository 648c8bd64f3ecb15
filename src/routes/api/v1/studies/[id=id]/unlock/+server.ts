import { apiRoute, idParam } from '$lib/server/runtime/api-handler';
import { requestUnlock } from '$lib/server/services/monitoring/unlock-approval';

export const POST = apiRoute(async (ctx, event, body) => requestUnlock(ctx, idParam(event), body), {
	status: 201
});

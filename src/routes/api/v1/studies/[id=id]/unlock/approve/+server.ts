import { apiRoute, idParam } from '$lib/server/runtime/api-handler';
import { approveUnlock } from '$lib/server/services/monitoring/unlock-approval';

export const POST = apiRoute(async (ctx, event, body) => approveUnlock(ctx, idParam(event), body));

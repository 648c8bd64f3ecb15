import { apiRoute, idParam } from '$lib/server/runtime/api-handler';
import { declineUnlock } from '$lib/server/services/monitoring/unlock-approval';

export const POST = apiRoute(async (ctx, event, body) => declineUnlock(ctx, idParam(event), body));

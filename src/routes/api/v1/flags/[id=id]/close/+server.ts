import { apiRoute, idParam } from '$lib/server/runtime/api-handler';
import { closeFlag } from '$lib/server/services/safety/flags';

export const POST = apiRoute(async (ctx, event, body) => closeFlag(ctx, idParam(event), body));

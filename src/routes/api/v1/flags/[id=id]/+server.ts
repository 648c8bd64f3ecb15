import { apiRoute, idParam } from '$lib/server/runtime/api-handler';
import { getFlag } from '$lib/server/services/safety/flags';

export const GET = apiRoute(async (ctx, event) => getFlag(ctx, idParam(event)));

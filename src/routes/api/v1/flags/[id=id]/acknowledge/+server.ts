import { apiRoute, idParam } from '$lib/server/runtime/api-handler';
import { acknowledgeFlag } from '$lib/server/services/safety/flags';

export const POST = apiRoute(async (ctx, event) => acknowledgeFlag(ctx, idParam(event)));

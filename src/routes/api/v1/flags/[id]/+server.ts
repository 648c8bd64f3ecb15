import { apiRoute, idParam } from '$lib/server/api';
import { getFlag } from '$lib/server/services/flags';

export const GET = apiRoute(async (ctx, event) => getFlag(ctx, idParam(event)));

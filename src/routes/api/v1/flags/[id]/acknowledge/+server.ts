import { apiRoute, idParam } from '$lib/server/api';
import { acknowledgeFlag } from '$lib/server/services/flags';

export const POST = apiRoute(async (ctx, event) => acknowledgeFlag(ctx, idParam(event)));

import { apiRoute, idParam } from '$lib/server/api';
import { closeFlag } from '$lib/server/services/flags';

export const POST = apiRoute(async (ctx, event, body) => closeFlag(ctx, idParam(event), body));

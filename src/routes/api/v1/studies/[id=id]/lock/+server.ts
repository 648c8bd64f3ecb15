import { apiRoute, idParam } from '$lib/server/runtime/api-handler';
import { lockStudy } from '$lib/server/services/monitoring/freeze-lock';

export const POST = apiRoute(async (ctx, event, body) => lockStudy(ctx, idParam(event), body));

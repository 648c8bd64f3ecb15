import { apiRoute, idParam } from '$lib/server/runtime/api-handler';
import { unlockStudy } from '$lib/server/services/monitoring/freeze-lock';

export const POST = apiRoute(async (ctx, event, body) => unlockStudy(ctx, idParam(event), body));

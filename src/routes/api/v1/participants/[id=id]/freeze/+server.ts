import { apiRoute, idParam } from '$lib/server/runtime/api-handler';
import { freezeCasebook } from '$lib/server/services/monitoring/freeze-lock';

export const POST = apiRoute(async (ctx, event, body) => freezeCasebook(ctx, idParam(event), body));

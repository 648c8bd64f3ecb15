import { apiRoute } from '$lib/server/runtime/api-handler';
import { verifySource } from '$lib/server/services/monitoring/sdv';

export const POST = apiRoute(async (ctx, _event, body) => verifySource(ctx, body), { status: 201 });

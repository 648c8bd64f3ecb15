import { apiRoute, idParam } from '$lib/server/runtime/api-handler';
import { pharmacyList } from '$lib/server/services/trial/pharmacy';

export const GET = apiRoute(async (ctx, event) => ({
	allocation: await pharmacyList(ctx, idParam(event))
}));

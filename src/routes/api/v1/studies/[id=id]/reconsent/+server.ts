import { apiRoute, idParam } from '$lib/server/runtime/api-handler';
import { reconsentList } from '$lib/server/services/trial/consent';

export const GET = apiRoute(async (ctx, event) => ({
	participants: await reconsentList(ctx, idParam(event))
}));

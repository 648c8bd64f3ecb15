import { apiRoute } from '$lib/server/runtime/api-handler';
import { recordFlagActions } from '$lib/server/services/safety/flag-groups';

export const POST = apiRoute(async (ctx, _event, body) => ({
	flags: await recordFlagActions(ctx, body)
}));

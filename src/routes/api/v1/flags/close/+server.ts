import { apiRoute } from '$lib/server/runtime/api-handler';
import { closeFlags } from '$lib/server/services/safety/flag-groups';

export const POST = apiRoute(async (ctx, _event, body) => ({ flags: await closeFlags(ctx, body) }));

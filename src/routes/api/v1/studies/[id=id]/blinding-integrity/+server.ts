import { apiRoute, idParam } from '$lib/server/runtime/api-handler';
import { blindingIntegrity } from '$lib/server/services/trial/blinding-integrity';

export const GET = apiRoute(async (ctx, event) => blindingIntegrity(ctx, idParam(event)));

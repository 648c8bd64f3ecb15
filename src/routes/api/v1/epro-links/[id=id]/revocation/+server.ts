import { apiRoute, idParam } from '$lib/server/runtime/api-handler';
import { revokeEproLink } from '$lib/server/services/trial/epro-links';

export const POST = apiRoute(async (ctx, event) => revokeEproLink(ctx, idParam(event)));

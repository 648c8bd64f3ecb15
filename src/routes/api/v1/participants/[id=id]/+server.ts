import { apiRoute, idParam } from '$lib/server/runtime/api-handler';
import { participantJson } from '$lib/server/api/serialize';
import { getParticipant } from '$lib/server/services/capture/participants';

export const GET = apiRoute(async (ctx, event) =>
	participantJson(await getParticipant(ctx, idParam(event)))
);

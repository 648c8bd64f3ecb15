import { apiRoute, idParam } from '$lib/server/api';
import { participantJson } from '$lib/server/api/serialize';
import { getParticipant } from '$lib/server/services/participants';

export const GET = apiRoute(async (ctx, event) =>
	participantJson(await getParticipant(ctx, idParam(event)))
);

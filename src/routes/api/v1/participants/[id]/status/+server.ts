import { apiRoute, idParam } from '$lib/server/api';
import { participantJson } from '$lib/server/api/serialize';
import { changeParticipantStatus } from '$lib/server/services/participants';

export const POST = apiRoute(async (ctx, event, body) =>
	participantJson(await changeParticipantStatus(ctx, idParam(event), body))
);

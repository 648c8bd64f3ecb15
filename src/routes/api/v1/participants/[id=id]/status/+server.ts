import { apiRoute, idParam } from '$lib/server/runtime/api-handler';
import { participantJson } from '$lib/server/api/serialize';
import { changeParticipantStatus } from '$lib/server/services/capture/participants';

export const POST = apiRoute(async (ctx, event, body) =>
	participantJson(await changeParticipantStatus(ctx, idParam(event), body))
);

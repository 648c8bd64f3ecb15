// The kit and stratum only: the arm reaches no one through this door (see /studies/{id}/allocation).
import { apiRoute, idParam } from '$lib/server/runtime/api-handler';
import {
	participantRandomisation,
	randomiseParticipant
} from '$lib/server/services/trial/randomisation';

export const GET = apiRoute(async (ctx, event) => participantRandomisation(ctx, idParam(event)));

export const POST = apiRoute(async (ctx, event) => randomiseParticipant(ctx, idParam(event)), {
	status: 201
});

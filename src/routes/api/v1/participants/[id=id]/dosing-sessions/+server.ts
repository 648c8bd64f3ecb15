import { apiRoute, idParam } from '$lib/server/runtime/api-handler';
import { dosingSessionJson } from '$lib/server/api/serialize';
import {
	listDosingSessions,
	startDosingSession
} from '$lib/server/services/capture/dosing-sessions';

export const GET = apiRoute(async (ctx, event) => ({
	dosingSessions: (await listDosingSessions(ctx, idParam(event))).map(dosingSessionJson)
}));

export const POST = apiRoute(
	async (ctx, event, body) =>
		dosingSessionJson(await startDosingSession(ctx, idParam(event), body)),
	{ status: 201 }
);

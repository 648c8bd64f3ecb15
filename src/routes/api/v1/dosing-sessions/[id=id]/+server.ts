import { apiRoute, idParam } from '$lib/server/runtime/api-handler';
import { loadedSessionJson } from '$lib/server/api/serialize';
import { loadSession, updateDosingSession } from '$lib/server/services/capture/dosing-sessions';

export const GET = apiRoute(async (ctx, event) =>
	loadedSessionJson(await loadSession(ctx, idParam(event)))
);

export const PATCH = apiRoute(async (ctx, event, body) => {
	const id = idParam(event);
	await updateDosingSession(ctx, id, body);
	return loadedSessionJson(await loadSession(ctx, id));
});

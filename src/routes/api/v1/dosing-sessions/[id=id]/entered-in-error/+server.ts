import { apiRoute, fieldOf, idParam } from '$lib/server/runtime/api-handler';
import { loadedSessionJson } from '$lib/server/api/serialize';
import {
	loadSession,
	markDosingSessionEnteredInError
} from '$lib/server/services/capture/dosing-sessions';

export const POST = apiRoute(async (ctx, event, body) => {
	const id = idParam(event);
	await markDosingSessionEnteredInError(ctx, id, { reason: fieldOf(body, 'reason') });
	return loadedSessionJson(await loadSession(ctx, id));
});

import { apiRoute, fieldOf, idParam } from '$lib/server/api';
import { loadedSessionJson } from '$lib/server/api/serialize';
import { loadSession, markDosingSessionEnteredInError } from '$lib/server/services/dosing-sessions';

export const POST = apiRoute(async (ctx, event, body) => {
	const id = idParam(event);
	await markDosingSessionEnteredInError(ctx, id, { reason: fieldOf(body, 'reason') });
	return loadedSessionJson(await loadSession(ctx, id));
});

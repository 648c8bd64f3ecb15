import { apiRoute, fieldOf, idParam } from '$lib/server/runtime/api-handler';
import {
	getBlindingGuess,
	markBlindingGuessEnteredInError
} from '$lib/server/services/trial/blinding-guesses';

export const POST = apiRoute(async (ctx, event, body) => {
	const id = idParam(event);
	await markBlindingGuessEnteredInError(ctx, id, { reason: fieldOf(body, 'reason') });
	return getBlindingGuess(ctx, id);
});

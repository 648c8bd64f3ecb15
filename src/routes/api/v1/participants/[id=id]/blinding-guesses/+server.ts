import { apiRoute, idParam } from '$lib/server/runtime/api-handler';
import {
	blindingGuessView,
	listBlindingGuesses,
	recordBlindingGuess
} from '$lib/server/services/trial/blinding-guesses';

export const GET = apiRoute(async (ctx, event) => ({
	guesses: (await listBlindingGuesses(ctx, idParam(event))).map(blindingGuessView)
}));

export const POST = apiRoute(
	async (ctx, event, body) =>
		blindingGuessView(await recordBlindingGuess(ctx, idParam(event), body)),
	{ status: 201 }
);

import { apiRoute, parseQuery } from '$lib/server/runtime/api-handler';
import { participantListQuery, parseParticipantWhere } from '$lib/server/api/schemas';
import { participantJson } from '$lib/server/api/serialize';
import { createParticipant, listParticipants } from '$lib/server/services/capture/participants';

export const GET = apiRoute(async (ctx, event) => {
	const { siteId } = parseQuery(participantListQuery, event.url);
	return { participants: (await listParticipants(ctx, { siteId })).map(participantJson) };
});

export const POST = apiRoute(
	async (ctx, _event, body) => {
		const where = parseParticipantWhere(body, ctx.now());
		return participantJson(await createParticipant(ctx, where, body));
	},
	{ status: 201 }
);

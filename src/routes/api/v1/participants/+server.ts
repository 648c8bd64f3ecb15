import { apiRoute, parseQuery } from '$lib/server/runtime/api-handler';
import { participantListQuery, parseParticipantWhere } from '$lib/server/api/schemas';
import { participantJson } from '$lib/server/api/serialize';
import { createParticipant, listParticipantsPage } from '$lib/server/services/capture/participants';
import { requireClinicalWriter } from '$lib/server/services/people/clinical-access';

export const GET = apiRoute(async (ctx, event) => {
	const q = parseQuery(participantListQuery, event.url);
	const page = await listParticipantsPage(ctx, q);
	return { participants: page.items.map(participantJson), next: page.next };
});

export const POST = apiRoute(
	async (ctx, _event, body) => {
		requireClinicalWriter(ctx.actor);
		const where = parseParticipantWhere(body, ctx.now());
		return participantJson(await createParticipant(ctx, where, body));
	},
	{ status: 201 }
);

import { apiRoute, idParam, parseQuery } from '$lib/server/runtime/api-handler';
import { includeEnteredInErrorQuery } from '$lib/server/api/schemas';
import { conmedJson } from '$lib/server/api/trial-json';
import { getConmed, listConmeds, recordConmed } from '$lib/server/services/trial/conmeds';

export const GET = apiRoute(async (ctx, event) => {
	const { includeEnteredInError } = parseQuery(includeEnteredInErrorQuery, event.url);
	const rows = await listConmeds(ctx, idParam(event), {
		includeEnteredInError: includeEnteredInError === 'true'
	});
	return { medications: rows.map(conmedJson) };
});

export const POST = apiRoute(
	async (ctx, event, body) => {
		const row = await recordConmed(ctx, idParam(event), body);
		return conmedJson(await getConmed(ctx, row.id));
	},
	{ status: 201 }
);

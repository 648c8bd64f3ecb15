import { apiRoute, idParam, parseQuery } from '$lib/server/runtime/api-handler';
import { scaleListQuery } from '$lib/server/api/schemas';
import {
	listScaleAdministrations,
	recordScaleAdministration
} from '$lib/server/services/capture/scales';

export const GET = apiRoute(async (ctx, event) => {
	const q = parseQuery(scaleListQuery, event.url);
	return {
		scaleAdministrations: await listScaleAdministrations(ctx, idParam(event), {
			instrument: q.instrument,
			includeEnteredInError: q.includeEnteredInError === 'true'
		})
	};
});

export const POST = apiRoute(
	async (ctx, event, body) => recordScaleAdministration(ctx, idParam(event), body),
	{ status: 201 }
);

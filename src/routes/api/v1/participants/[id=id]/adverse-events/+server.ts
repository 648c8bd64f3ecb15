import { apiRoute, idParam, parseQuery } from '$lib/server/runtime/api-handler';
import { includeEnteredInErrorQuery } from '$lib/server/api/schemas';
import { listAdverseEvents, recordAdverseEvent } from '$lib/server/services/capture/adverse-events';

export const GET = apiRoute(async (ctx, event) => {
	const { includeEnteredInError } = parseQuery(includeEnteredInErrorQuery, event.url);
	return {
		adverseEvents: await listAdverseEvents(ctx, idParam(event), {
			includeEnteredInError: includeEnteredInError === 'true'
		})
	};
});

export const POST = apiRoute(
	async (ctx, event, body) => recordAdverseEvent(ctx, idParam(event), body),
	{ status: 201 }
);

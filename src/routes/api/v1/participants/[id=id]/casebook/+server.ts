import { apiRoute, idParam } from '$lib/server/runtime/api-handler';
import { casebookPreview } from '$lib/server/services/signatures/casebook';

export const GET = apiRoute(async (ctx, event) =>
	casebookPreview(ctx, idParam(event), { upTo: event.url.searchParams.get('upTo') })
);

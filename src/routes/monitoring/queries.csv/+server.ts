import { downloadResponse } from '$lib/server/runtime/export-response';
import { contextOf, loadOr404, requirePageUser } from '$lib/server/runtime/http';
import { dataQueriesCsv } from '$lib/server/services/monitoring/queries';
import type { RequestHandler } from './$types';

// The queries the monitoring page lists, with the same filters, as a CSV download (audited).
export const GET: RequestHandler = async (event) => {
	requirePageUser(event);
	const query = Object.fromEntries(event.url.searchParams);
	return downloadResponse(await loadOr404(dataQueriesCsv(contextOf(event), query)));
};

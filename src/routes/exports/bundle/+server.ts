import { downloadResponse } from '$lib/server/runtime/export-response';
import { contextOf, loadOr404, requirePageUser } from '$lib/server/runtime/http';
import { createAuditorBundle } from '$lib/server/services/audit/bundle';
import type { RequestHandler } from './$types';

// The signed auditor bundle (.tar.gz), streamed; the export filters as query parameters
// (siteId, studyId, from, to). Audited when it starts.
export const GET: RequestHandler = async (event) => {
	requirePageUser(event, 'admin', 'auditor');
	const query = Object.fromEntries(event.url.searchParams);
	return downloadResponse(await loadOr404(createAuditorBundle(contextOf(event), query)));
};

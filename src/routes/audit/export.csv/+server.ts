import { downloadResponse } from '$lib/server/runtime/export-response';
import { contextOf, requirePageUser } from '$lib/server/runtime/http';
import { loadOr404 } from '$lib/server/runtime/http';
import { auditTrailCsv } from '$lib/server/services/audit/audit-export';
import type { RequestHandler } from './$types';

// The explorer's filters as a CSV download: a plain link from the page, streamed, audited.
export const GET: RequestHandler = async (event) => {
	requirePageUser(event, 'admin', 'auditor');
	const query = Object.fromEntries(event.url.searchParams);
	return downloadResponse(await loadOr404(auditTrailCsv(contextOf(event), query)));
};

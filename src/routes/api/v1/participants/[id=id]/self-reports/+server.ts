// A participant's answered self-report links with their scored answers (read-only: staff cannot
// change them; a wrong one is marked entered in error through /scales/{id}/entered-in-error).
import { apiRoute, idParam } from '$lib/server/runtime/api-handler';
import { listSelfReports } from '$lib/server/services/trial/epro-links';

export const GET = apiRoute(async (ctx, event) => ({
	selfReports: await listSelfReports(ctx, idParam(event))
}));

import { apiRoute } from '$lib/server/runtime/api-handler';
import { siteJson } from '$lib/server/api/serialize';
import { listSites } from '$lib/server/services/people/sites';

export const GET = apiRoute(async (ctx) => ({ sites: (await listSites(ctx)).map(siteJson) }));

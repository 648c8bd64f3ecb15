import { apiRoute } from '$lib/server/api';
import { siteJson } from '$lib/server/api/serialize';
import { listSites } from '$lib/server/services/sites';

export const GET = apiRoute(async (ctx) => ({ sites: (await listSites(ctx)).map(siteJson) }));

import { contextOf, loadOr404, requirePageUser } from '$lib/server/runtime/http';
import { getSiteByCode } from '$lib/server/services/people/sites';
import { listDeviations } from '$lib/server/services/protocol/deviations';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePageUser(event, 'coordinator', 'investigator', 'auditor', 'monitor', 'admin');
	const ctx = contextOf(event);
	const site = await loadOr404(getSiteByCode(ctx, event.params.code));
	const deviations = await loadOr404(listDeviations(ctx, { siteId: site.id }));
	return { site: { code: site.code, name: site.name }, deviations };
};

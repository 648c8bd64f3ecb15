import { contextOf, loadOr404, requirePageUser } from '$lib/server/http';
import { getSiteByCode } from '$lib/server/services/sites';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePageUser(event, 'coordinator', 'investigator', 'auditor');
	return { site: await loadOr404(getSiteByCode(contextOf(event), event.params.code)) };
};

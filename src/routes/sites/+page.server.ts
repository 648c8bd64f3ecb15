import { contextOf, requirePageUser } from '$lib/server/runtime/http';
import { listSites } from '$lib/server/services/people/sites';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requirePageUser(event, 'coordinator', 'investigator', 'auditor', 'monitor');
	return { sites: await listSites(contextOf(event)), role: user.role };
};

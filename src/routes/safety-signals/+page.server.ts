import { contextOf, loadOr404, requirePageUser } from '$lib/server/runtime/http';
import { dashboardFilters } from '$lib/server/runtime/params';
import { safetySignalsPage } from '$lib/server/services/dashboards/dashboard-views';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePageUser(event, 'investigator', 'auditor', 'admin');
	const filters = dashboardFilters(event.url);
	// Shaped for the page in its read job: passed on as it comes.
	const view = await loadOr404(safetySignalsPage(contextOf(event), filters));
	return {
		filters: view ? { ...filters, siteCode: view.siteCode } : filters,
		view
	};
};

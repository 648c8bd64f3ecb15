import { contextOf, loadOr404, requirePageUser } from '$lib/server/runtime/http';
import { safetySignalsPage } from '$lib/server/services/dashboards/dashboard-views';
import type { PageServerLoad } from './$types';

/** Query parameters (a GET form, so filters work without JavaScript). */
function filtersOf(url: URL) {
	const study = Number(url.searchParams.get('study'));
	return {
		studyId: Number.isInteger(study) && study > 0 ? study : undefined,
		siteCode: url.searchParams.get('site')?.trim() || undefined,
		doseGroup: url.searchParams.get('dose')?.trim().slice(0, 60) || undefined
	};
}

export const load: PageServerLoad = async (event) => {
	requirePageUser(event, 'investigator', 'auditor', 'admin');
	const filters = filtersOf(event.url);
	// Shaped for the page in its read job: passed on as it comes.
	const view = await loadOr404(safetySignalsPage(contextOf(event), filters));
	return {
		filters: view ? { ...filters, siteCode: view.siteCode } : filters,
		view
	};
};

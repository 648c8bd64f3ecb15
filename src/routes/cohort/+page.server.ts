import { contextOf, loadOr404, requirePageUser } from '$lib/server/runtime/http';
import { cohortPage } from '$lib/server/services/dashboards/dashboard-views';
import { filtersOf } from './cohort-page.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePageUser(event, 'investigator', 'auditor', 'admin');
	const filters = filtersOf(event.url);
	const { view, relapse } = await loadOr404(cohortPage(contextOf(event), filters));
	if (!view) return { view: null, filters, relapse: null };
	// The read job shaped the view for this page (rounded, packed); only the study is cut down.
	const { context, ...shown } = view;
	const { study, options } = context;
	return {
		relapse,
		filters: { ...filters, siteCode: context.filters.siteCode },
		view: { study: { id: study.id, code: study.code, title: study.title }, options, ...shown }
	};
};

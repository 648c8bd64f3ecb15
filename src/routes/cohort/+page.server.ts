import type { LinePoint } from '$lib/views/cohort';
import { contextOf, loadOr404, requirePageUser } from '$lib/server/runtime/http';
import { LINE_PARTICIPANTS, SCATTER_POINTS } from '$lib/server/services/dashboards/cohort';
import { cohortPage } from '$lib/server/services/dashboards/dashboard-views';
import { filtersOf, followUpColumns, groupRows, visitRow } from './cohort-page.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePageUser(event, 'investigator', 'auditor', 'admin');
	const filters = filtersOf(event.url);
	const { view, relapse } = await loadOr404(cohortPage(contextOf(event), filters));
	if (!view) return { view: null, filters, relapse: null };
	const { study, options } = view.context;
	const lines: LinePoint[] | null =
		view.lines?.map((l) => ({
			subjectCode: l.subject_code,
			siteCode: l.site_code,
			doseGroup: l.dose_group,
			visitCode: l.visit_code,
			total: l.total
		})) ?? null;
	return {
		relapse,
		filters: { ...filters, siteCode: view.context.filters.siteCode },
		view: {
			study: { id: study.id, code: study.code, title: study.title },
			options,
			instrument: view.instrument,
			responsePercent: view.responsePercent,
			remissionText: view.remissionText,
			participants: view.participants,
			overall: view.overall.map(visitRow),
			bySite: view.bySite.map(groupRows),
			byDoseGroup: view.byDoseGroup.map(groupRows),
			lines,
			lineLimit: LINE_PARTICIPANTS,
			scatterLimit: SCATTER_POINTS,
			followUps: followUpColumns(view.followUps)
		}
	};
};

// The cohort page's query parameters, shared by the page and its CSVs (points.csv, groups.csv).
// The view's shape for the page is made in its read job (services/dashboards/cohort-page.ts).
import type { RequestEvent } from '@sveltejs/kit';

/** Query parameters (a GET form, so filters work without JavaScript). */
export function filtersOf(url: RequestEvent['url']) {
	const study = Number(url.searchParams.get('study'));
	return {
		studyId: Number.isInteger(study) && study > 0 ? study : undefined,
		siteCode: url.searchParams.get('site')?.trim() || undefined,
		doseGroup: url.searchParams.get('dose')?.trim().slice(0, 60) || undefined,
		lines: url.searchParams.get('lines') === '1'
	};
}

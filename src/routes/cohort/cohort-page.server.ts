// The cohort page's query parameters, shared by the page and its CSVs (points.csv, groups.csv).
// The view's shape for the page is made in its read job (services/dashboards/cohort-page.ts).
import type { RequestEvent } from '@sveltejs/kit';
import { dashboardFilters } from '$lib/server/runtime/params';

/** Query parameters (a GET form, so filters work without JavaScript). */
export function filtersOf(url: RequestEvent['url']) {
	return { ...dashboardFilters(url), lines: url.searchParams.get('lines') === '1' };
}

import type { IncidenceRow } from '$lib/views/safety-signals';
import type { Proportion } from '$lib/domain/statistics';
import { contextOf, loadOr404, requirePageUser } from '$lib/server/runtime/http';
import type { IncidenceLine } from '$lib/server/services/dashboards/safety-signals';
import { safetySignalsPage } from '$lib/server/services/dashboards/dashboard-views';
import type { PageServerLoad } from './$types';

/** Rounded as shown: the chart, the table and the CSV carry the same numbers. */
const round = (x: number | null, digits = 1) =>
	x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits;
const percent = (p: Proportion) => round(p.p === null ? null : p.p * 100);

function incidenceRow(l: IncidenceLine): IncidenceRow {
	const { incidence: i } = l;
	return {
		key: l.key,
		label: l.label,
		count: i.count,
		of: i.of,
		percent: percent(i),
		lower: round(i.ci ? i.ci.lower * 100 : null),
		upper: round(i.ci ? i.ci.upper * 100 : null),
		events: l.events,
		withSerious: l.withSerious,
		byWorstGrade: [...l.byWorstGrade],
		// In dosed.bySite's order (both follow the service's dosed sites); each out of that site's dosed.
		bySite: l.bySite.map((s) => s.incidence.count)
	};
}

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
	const view = await loadOr404(safetySignalsPage(contextOf(event), filters));
	if (!view) return { view: null, filters };
	const { study, options } = view.context;
	return {
		filters: { ...filters, siteCode: view.context.filters.siteCode },
		view: {
			study: { id: study.id, code: study.code, title: study.title },
			options,
			dosed: view.dosed,
			anyAe: incidenceRow(view.anyAe),
			terms: view.terms.map(incidenceRow),
			specialInterest: view.specialInterest.map(incidenceRow),
			breaches: {
				byRule: view.breaches.byRule.map((r) => ({ ...r, per100: round(r.per100) })),
				bySite: view.breaches.bySite.map((s) => ({ ...s, per100: round(s.per100) }))
			},
			peaks: view.peaks
		}
	};
};

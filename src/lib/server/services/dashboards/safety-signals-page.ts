// The safety-signals page's data, shaped inside its read job: the job's answer is cloned to the
// request thread and serialised into the page as it is, so it carries only what the page shows.
// The service's lines hold a proportion with its interval for every term at every site (at a
// trial's 64 sites, 1,700 small objects, most of the clone); the page needs each site's count.
import type { Proportion } from '../../../domain/statistics';
import type { IncidenceRow, SafetySignalsData } from '../../../views/safety-signals';
import type { ViewContext } from './dashboard-views';
import type { IncidenceLine, SafetySignalsView } from './safety-signals';

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

/** The page's data from the dashboard (and the context the page shows of it). */
export function safetySignalsData(
	view: Omit<SafetySignalsView, 'context'>,
	context: ViewContext
): SafetySignalsData {
	const { study, options, filters } = context;
	const sites = view.dosed.bySite;
	const breaches = new Map(view.breaches.bySite.map((s) => [s.siteCode, s.breaches]));
	return {
		study: { id: study.id, code: study.code, title: study.title },
		options,
		siteCode: filters.siteCode,
		dosed: {
			participants: view.dosed.participants,
			sessions: view.dosed.sessions,
			bySite: {
				siteCode: sites.map((s) => s.siteCode),
				participants: sites.map((s) => s.participants),
				sessions: sites.map((s) => s.sessions),
				breaches: sites.map((s) => breaches.get(s.siteCode) ?? 0)
			}
		},
		anyAe: incidenceRow(view.anyAe),
		terms: view.terms.map(incidenceRow),
		specialInterest: view.specialInterest.map(incidenceRow),
		breachesByRule: view.breaches.byRule.map((r) => ({ ...r, per100: round(r.per100) })),
		peaks: view.peaks
	};
}

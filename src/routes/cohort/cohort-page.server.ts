// The cohort page's shape of the cohort view, shared by the page and its points CSV: numbers
// rounded as shown (the chart, the table and the CSV carry the same numbers), and only what the
// page shows, since its data is serialised into every page.
import type { RequestEvent } from '@sveltejs/kit';
import type { MeanEstimate, Proportion } from '$lib/domain/statistics';
import type { GroupSeries, VisitStat, CohortView } from '$lib/server/services/dashboards/cohort';
import {
	packScatter,
	type GroupRate,
	type GroupRows,
	type MeanCell,
	type RateCell,
	type VisitRow
} from '$lib/views/cohort';

const round = (x: number | null, digits = 2) =>
	x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits;

const meanCell = (e: MeanEstimate): MeanCell => ({
	n: e.n,
	mean: round(e.mean),
	lower: round(e.ci?.lower ?? null),
	upper: round(e.ci?.upper ?? null)
});

const rateCell = (p: Proportion): RateCell => ({
	count: p.count,
	of: p.of,
	percent: round(p.p === null ? null : p.p * 100, 1),
	lower: round(p.ci ? p.ci.lower * 100 : null, 1),
	upper: round(p.ci ? p.ci.upper * 100 : null, 1)
});

export const visitRow = (v: VisitStat): VisitRow => ({
	visitCode: v.visitCode,
	label: v.label,
	total: meanCell(v.total),
	change: meanCell(v.change),
	response: rateCell(v.response),
	remission: rateCell(v.remission)
});

/** n/N (%) without the interval, as the by-group tables show it. */
const groupRate = (p: Proportion): GroupRate => ({
	count: p.count,
	of: p.of,
	percent: round(p.p === null ? null : p.p * 100, 1)
});

/** A site's or dose group's visits: what its chart and tables show (64 sites × 8 visits at a trial). */
export const groupRows = (g: GroupSeries): GroupRows => ({
	group: g.group,
	visits: g.visits.map((v) => ({
		visitCode: v.visitCode,
		total: meanCell(v.total),
		response: groupRate(v.response),
		remission: groupRate(v.remission)
	}))
});

/** A follow-up's points with their percent change rounded as shown. */
export const roundedPoints = (f: CohortView['followUps'][number]) =>
	f.points.map((p) => ({ ...p, percentChange: round(p.percentChange, 1)! }));

/** Each follow-up's points as columns (see ScatterColumns). */
export const followUpColumns = (followUps: CohortView['followUps']) =>
	followUps.map((f) => ({
		code: f.code,
		label: f.label,
		months: f.months,
		points: packScatter(roundedPoints(f))
	}));

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

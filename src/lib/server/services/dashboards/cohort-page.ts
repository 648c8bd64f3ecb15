// The cohort page's shape of the cohort view, made in the page's read job (so the request thread
// receives, and writes into the page, only this): numbers rounded as shown (the chart, the table
// and the CSVs carry the same numbers), and only what the page shows. The by-site and
// by-dose-group series and the follow-ups' points travel as packed columns (see $lib/views/cohort):
// at a trial's 64 sites they were most of the page.
import type { MeanEstimate, Proportion } from '../../../domain/statistics';
import {
	packGroups,
	packScatter,
	round,
	splitScatter,
	type GroupColumns,
	type GroupRate,
	type GroupRows,
	type LinePoint,
	type MeanCell,
	type RateCell,
	type ScatterChart,
	type ScatterListed,
	type VisitRow
} from '../../../views/cohort';
import {
	LINE_PARTICIPANTS,
	SCATTER_POINTS,
	type CohortView,
	type GroupSeries,
	type VisitStat
} from './cohort';

const rounded = (x: number | null | undefined, digits = 2) =>
	x === null || x === undefined ? null : round(x, digits);

const meanCell = (e: MeanEstimate): MeanCell => ({
	n: e.n,
	mean: rounded(e.mean),
	lower: rounded(e.ci?.lower),
	upper: rounded(e.ci?.upper)
});

const rateCell = (p: Proportion): RateCell => ({
	count: p.count,
	of: p.of,
	percent: rounded(p.p === null ? null : p.p * 100, 1),
	lower: rounded(p.ci ? p.ci.lower * 100 : null, 1),
	upper: rounded(p.ci ? p.ci.upper * 100 : null, 1)
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
	percent: rounded(p.p === null ? null : p.p * 100, 1)
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

/** What the cohort page shows of the cohort view, with the dashboard's context as given. */
export interface CohortPageView<C> {
	context: C;
	instrument: string;
	responsePercent: number;
	remissionText: string;
	participants: number;
	overall: VisitRow[];
	bySite: GroupColumns;
	byDoseGroup: GroupColumns;
	lines: LinePoint[] | null;
	lineLimit: number;
	scatterLimit: number;
	/**
	 * Each follow-up's points as the chart draws them; what their table lists beside (subject,
	 * site) only when asked for (points.csv): the page's table fetches that CSV once opened.
	 */
	followUps: Array<{
		code: string;
		label: string;
		months: number;
		points: ScatterChart;
		listed: ScatterListed | null;
	}>;
}

/**
 * The cohort view as its page shows it, with the context the page is given; with each point's
 * subject and site when `listPoints` (for the points' CSV).
 */
export function cohortPageView<C>(
	view: CohortView,
	context: C,
	listPoints = false
): CohortPageView<C> {
	return {
		context,
		instrument: view.instrument,
		responsePercent: view.responsePercent,
		remissionText: view.remissionText,
		participants: view.participants,
		overall: view.overall.map(visitRow),
		bySite: packGroups(view.bySite.map(groupRows)),
		byDoseGroup: packGroups(view.byDoseGroup.map(groupRows)),
		lines:
			view.lines?.map((l) => ({
				subjectCode: l.subject_code,
				siteCode: l.site_code,
				doseGroup: l.dose_group,
				visitCode: l.visit_code,
				total: l.total
			})) ?? null,
		lineLimit: LINE_PARTICIPANTS,
		scatterLimit: SCATTER_POINTS,
		followUps: view.followUps.map((f) => {
			const { chart, listed } = splitScatter(packScatter(f.points));
			return {
				code: f.code,
				label: f.label,
				months: f.months,
				points: chart,
				listed: listPoints ? listed : null
			};
		})
	};
}

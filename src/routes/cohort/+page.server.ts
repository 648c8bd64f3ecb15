import type {
	GroupRows,
	LinePoint,
	MeanCell,
	RateCell,
	ScatterPoint,
	VisitRow
} from '$lib/views/cohort';
import type { MeanEstimate, Proportion } from '$lib/domain/statistics';
import { contextOf, loadOr404, requirePageUser } from '$lib/server/runtime/http';
import {
	LINE_PARTICIPANTS,
	SCATTER_POINTS,
	type GroupSeries,
	type VisitStat
} from '$lib/server/services/dashboards/cohort';
import { cohortPage } from '$lib/server/services/dashboards/dashboard-views';
import type { PageServerLoad } from './$types';

/** Rounded as shown: the chart, the table and the CSV carry the same numbers. */
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

const visitRow = (v: VisitStat): VisitRow => ({
	visitCode: v.visitCode,
	label: v.label,
	total: meanCell(v.total),
	change: meanCell(v.change),
	percentChange: meanCell(v.percentChange),
	response: rateCell(v.response),
	remission: rateCell(v.remission)
});

const groupRows = (g: GroupSeries): GroupRows => ({
	group: g.group,
	visits: g.visits.map(visitRow)
});

/** Query parameters (a GET form, so filters work without JavaScript). */
function filtersOf(url: URL) {
	const study = Number(url.searchParams.get('study'));
	return {
		studyId: Number.isInteger(study) && study > 0 ? study : undefined,
		siteCode: url.searchParams.get('site')?.trim() || undefined,
		doseGroup: url.searchParams.get('dose')?.trim().slice(0, 60) || undefined,
		lines: url.searchParams.get('lines') === '1'
	};
}

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
			followUps: view.followUps.map((f) => ({
				...f,
				points: f.points.map((p): ScatterPoint => ({
					...p,
					percentChange: round(p.percentChange, 1)!
				}))
			}))
		}
	};
};

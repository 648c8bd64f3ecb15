// Who benefits, and is it lasting? The primary scale across the cohort by visit: mean with its
// 95 % CI, change from baseline, response and remission as n/N (DOMAIN.md §2, thresholds from the
// study's protocol), split by site and dose group, and each participant's baseline against their
// change at the 6- and 12-month follow-ups.
import { describeComparison, type Protocol } from '../../../domain/protocol';
import {
	meanEstimateOfMoments,
	percentChange,
	proportion,
	type MeanEstimate,
	type Proportion
} from '../../../domain/statistics';
import { requireRole } from '../../auth/access';
import type { ServiceContext } from '../../runtime/context';
import type { Study } from '../../db/schema';
import type { CohortCellTable } from '../../db/schema-summaries';
import { NotFoundError } from '../../runtime/errors';
import { readsOf } from '../../reads/executor';
import * as repo from '../../repositories/cohort';
import * as sitesRepo from '../../repositories/sites';
import * as studiesRepo from '../../repositories/studies';
import { clinicalReadScope } from '../people/clinical-access';
import { activeProtocol } from '../protocol/studies';

export interface DashboardFilters {
	studyId?: number;
	/** A site code the actor holds; absent = all the actor's sites. */
	siteCode?: string;
	doseGroup?: string;
}

export interface DashboardContext {
	study: Study;
	protocol: Protocol;
	scope: repo.DashboardScope;
	filters: { siteCode: string | null; doseGroup: string | null };
	options: { sites: Array<{ code: string; name: string }>; doseGroups: string[] };
}

/**
 * Access first (investigators, auditors, admins), then the study (the first by code unless
 * chosen), the actor's sites narrowed to the chosen one, and the filter options. Null when no
 * study is loaded. A site the actor does not hold is "not found", like any other record.
 */
export async function dashboardContext(
	ctx: ServiceContext,
	f: DashboardFilters
): Promise<DashboardContext | null> {
	requireRole(ctx.actor, 'investigator', 'auditor', 'admin');
	const readable = clinicalReadScope(ctx.actor);
	const study =
		f.studyId !== undefined
			? await studiesRepo.findStudyById(ctx.db, f.studyId)
			: (await studiesRepo.listStudies(ctx.db))[0];
	if (!study) {
		if (f.studyId !== undefined) throw new NotFoundError('Study');
		return null;
	}
	const { protocol } = await activeProtocol(ctx.db, study.id);
	const sites = await sitesRepo.listSites(ctx.db, readable);
	let siteIds: number[] | 'all' = readable;
	if (f.siteCode) {
		const site = sites.find((s) => s.code === f.siteCode!.toUpperCase());
		if (!site) throw new NotFoundError('Site');
		siteIds = [site.id];
	}
	const doseGroup = f.doseGroup ? f.doseGroup : null;
	return {
		study,
		protocol,
		scope: { studyId: study.id, siteIds, doseGroup },
		filters: { siteCode: f.siteCode ? f.siteCode.toUpperCase() : null, doseGroup },
		options: {
			sites: sites.map((s) => ({ code: s.code, name: s.name })),
			doseGroups: await repo.doseGroups(ctx.db, study.id, readable)
		}
	};
}

export interface VisitStat {
	visitCode: string;
	label: string;
	total: MeanEstimate;
	/** Points from baseline (negative = fewer symptoms). */
	change: MeanEstimate;
	percentChange: MeanEstimate;
	response: Proportion;
	remission: Proportion;
}

type CellRow = Awaited<ReturnType<typeof repo.visitCells>>[number];

/** What a line of the cohort reads at one visit: sums of the cells it covers. */
type SummaryRow = Pick<CohortCellTable, (typeof repo.CELL_SUMS)[number]>;

/**
 * The visit × site × dose-group cells summed per group and visit (counts, sums and sums of
 * squares add up): group → visit code → sums. Groups in code order, as they were listed. Each
 * sum is a slot of an array while the cells are added (in their order, from 0), and an object
 * once done: sums kept on objects made by Object.fromEntries were most of the view's own CPU.
 */
function foldCells(cells: CellRow[], groupOf: (c: CellRow) => string) {
	const sums = new Map<string, Map<string, number[]>>();
	for (const c of cells) {
		const group = groupOf(c);
		let byVisit = sums.get(group);
		if (!byVisit) sums.set(group, (byVisit = new Map()));
		let s = byVisit.get(c.visit_code);
		if (!s) byVisit.set(c.visit_code, (s = repo.CELL_SUMS.map(() => 0)));
		for (let i = 0; i < repo.CELL_SUMS.length; i++) s[i]! += Number(c[repo.CELL_SUMS[i]!]);
	}
	const out = new Map<string, Map<string, SummaryRow>>();
	for (const [group, byVisit] of [...sums].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
		const rows = new Map<string, SummaryRow>();
		for (const [visit, s] of byVisit) {
			const row = {} as Record<(typeof repo.CELL_SUMS)[number], number>;
			repo.CELL_SUMS.forEach((k, i) => (row[k] = s[i]!));
			rows.set(visit, row);
		}
		out.set(group, rows);
	}
	return out;
}

const moments = (r: SummaryRow | undefined, name: 'total' | 'change' | 'pct') =>
	meanEstimateOfMoments({
		n: r?.[`${name}_n`] ?? 0,
		sum: r?.[`${name}_sum`] ?? 0,
		sumOfSquares: r?.[`${name}_sum_sq`] ?? 0
	});

function visitStat(visit: { code: string; label: string }, r: SummaryRow | undefined): VisitStat {
	return {
		visitCode: visit.code,
		label: visit.label,
		total: moments(r, 'total'),
		change: moments(r, 'change'),
		percentChange: moments(r, 'pct'),
		response: proportion(r?.responders ?? 0, r?.pct_n ?? 0),
		remission: proportion(r?.remitters ?? 0, r?.total_n ?? 0)
	};
}

/** The protocol's visits that give the primary scale, in protocol order. */
export function primaryVisits(protocol: Protocol): Array<{ code: string; label: string }> {
	const primary = protocol.scales.primary;
	return protocol.visits
		.filter((v) => v.scales.some((s) => s === primary))
		.map((v) => ({ code: v.code, label: v.label }));
}

export interface GroupSeries {
	group: string;
	visits: VisitStat[];
}

/** Each group with every primary-scale visit in protocol order (n = 0 when none). */
function seriesOf(
	groups: Map<string, Map<string, SummaryRow>>,
	visits: Array<{ code: string; label: string }>
) {
	return [...groups].map(([group, byVisit]) => ({
		group,
		visits: visits.map((v) => visitStat(v, byVisit.get(v.code)))
	}));
}

/** Follow-ups about 6 and 12 months after the last dose, as the protocol names them. */
export function lastingFollowUps(protocol: Protocol) {
	const targets = [
		{ months: 6, days: 182, tolerance: 45 },
		{ months: 12, days: 365, tolerance: 90 }
	];
	const afterLast = protocol.visits.filter((v) => v.anchor === 'last-dosing');
	return targets.flatMap((t) => {
		const near = afterLast
			.filter((v) => Math.abs(v.offsetDays - t.days) <= t.tolerance)
			.sort((a, b) => Math.abs(a.offsetDays - t.days) - Math.abs(b.offsetDays - t.days))[0];
		return near ? [{ months: t.months, code: near.code, label: near.label }] : [];
	});
}

export const LINE_PARTICIPANTS = 200;
export const SCATTER_POINTS = 2000;

/** Each participant's baseline against their percent change at the ~6- and ~12-month visits. */
async function lastingChange(ctx: ServiceContext, dc: DashboardContext, instrument: string) {
	const followUps = [];
	for (const fu of lastingFollowUps(dc.protocol)) {
		const rows = await repo.followUpPoints(
			readsOf(ctx).db,
			dc.scope,
			instrument,
			fu.code,
			SCATTER_POINTS
		);
		const points = rows.map((r) => ({
			subjectCode: r.subject_code,
			doseGroup: r.dose_group,
			siteCode: r.site_code,
			baseline: r.baseline,
			total: r.total,
			// The query keeps only nonzero baselines, so a percent change exists.
			percentChange: percentChange(r.baseline, r.total)!
		}));
		followUps.push({ ...fu, points });
	}
	return followUps;
}

export type CohortView = NonNullable<Awaited<ReturnType<typeof cohortDashboard>>>;

/** The cohort dashboard; null when no study is loaded. */
export async function cohortDashboard(
	ctx: ServiceContext,
	f: DashboardFilters & { lines?: boolean }
) {
	const dc = await dashboardContext(ctx, f);
	if (!dc) return null;
	const { protocol, scope } = dc;
	const rule = {
		instrument: protocol.scales.primary,
		responsePercent: protocol.scales.responsePercentBelowBaseline,
		remission: protocol.scales.remission[protocol.scales.primary]
	};
	const visits = primaryVisits(protocol);
	const [cells, participants] = await Promise.all([
		repo.visitCells(readsOf(ctx).db, scope, rule),
		repo.participantsWithTotals(readsOf(ctx).db, scope, rule.instrument)
	]);
	const all = foldCells(cells, () => 'All').get('All');
	const lines = f.lines
		? await repo.participantLines(readsOf(ctx).db, scope, rule.instrument, LINE_PARTICIPANTS)
		: null;
	return {
		context: dc,
		instrument: rule.instrument,
		responsePercent: rule.responsePercent,
		remissionText: describeComparison(rule.remission),
		participants,
		overall: visits.map((v) => visitStat(v, all?.get(v.code))),
		bySite: seriesOf(
			foldCells(cells, (c) => c.site_code),
			visits
		),
		byDoseGroup: seriesOf(
			foldCells(cells, (c) => c.dose_group),
			visits
		),
		lines,
		followUps: await lastingChange(ctx, dc, rule.instrument)
	};
}

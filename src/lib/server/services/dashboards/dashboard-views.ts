// One read job per view of the cohort and safety-signals pages: the role and the chosen site are
// checked here, on the request thread, before any job starts; every read of the view (the study,
// its protocol, the filter options, the summaries, the relapse curve) then runs in one read job,
// in one snapshot, on a read worker beside SQLite or the PostgreSQL read pool. Before, each of
// the view's queries was a job of its own and the context's queries ran on the request thread.
import { requireRole } from '../../auth/access';
import { readsOf } from '../../reads/executor';
import * as sitesRepo from '../../repositories/sites';
import { readFor, type ServiceContext } from '../../runtime/context';
import { NotFoundError } from '../../runtime/errors';
import { assertClinicalRead, clinicalReadScope } from '../people/clinical-access';
import { cohortDashboard, type DashboardContext, type DashboardFilters } from './cohort';
import { cohortPageView, type CohortPageView } from './cohort-page';
import { relapseSurvival, type RelapseSurvival } from './relapse-survival';
import type { SafetySignalsData } from '../../../views/safety-signals';
import { safetySignals } from './safety-signals';
import { safetySignalsData } from './safety-signals-page';
import { viewAsOfTrail } from './view-cache';

/** What a page shows of the dashboard's context (the protocol stays in the job). */
export type ViewContext = Pick<DashboardContext, 'study' | 'filters' | 'options'>;

const shown = (dc: DashboardContext): ViewContext => ({
	study: dc.study,
	filters: dc.filters,
	options: dc.options
});

export interface CohortPage {
	/** As the page shows it: rounded, the series and points packed (see cohort-page.ts). */
	view: CohortPageView<ViewContext> | null;
	relapse: RelapseSurvival | null;
}

/** The page's data (shaped in the job, so the request thread clones only what it shows). */
export type SafetySignalsPage = SafetySignalsData | null;

/**
 * The checks dashboardContext makes that are about access, before a job: the role, and a chosen
 * site the reader does not hold is "not found" (as any other record).
 */
async function checkDashboardAccess(ctx: ServiceContext, f: DashboardFilters): Promise<void> {
	requireRole(ctx.actor, 'investigator', 'auditor', 'admin');
	if (!f.siteCode) return;
	const site = await sitesRepo.findSiteByCode(ctx.db, f.siteCode.toUpperCase());
	if (!site) throw new NotFoundError('Site');
	assertClinicalRead(ctx.actor, site.id, 'Site');
}

/**
 * The cohort page's filters: each participant's line (`lines`); each point's subject and site
 * (`listPoints`, for the points' CSV: the page's chart draws without them).
 */
export type CohortPageFilters = DashboardFilters & { lines?: boolean; listPoints?: boolean };

/** The cohort page's reads (a read job): the dashboard, then the relapse curve under its context. */
export async function cohortPageReads(
	ctx: ServiceContext,
	f: CohortPageFilters
): Promise<CohortPage> {
	const view = await cohortDashboard(ctx, f);
	if (!view) return { view: null, relapse: null };
	const relapse = await relapseSurvival(ctx, f, view.context);
	return { view: cohortPageView(view, shown(view.context), f.listPoints), relapse };
}

/**
 * What a dashboard's view depends on besides the data and the filters: the viewer's role (which
 * roles may read, and who may know arms) and the sites they may read. Users alike in these get the
 * same view (nothing in it is per user), so they share it (view-cache.ts).
 */
function viewerKey(ctx: ServiceContext) {
	const sites = clinicalReadScope(ctx.actor);
	const role = ctx.actor.kind === 'user' ? ctx.actor.role : null;
	return [ctx.actor.kind, role, sites === 'all' ? sites : [...sites].sort((a, b) => a - b)];
}

/**
 * One view of the cohort page: the checks here, every read in one read job, made once while the
 * data stay as they are (view-cache.ts): at c = 10 the read job ran ten times for one view.
 */
export async function cohortPage(ctx: ServiceContext, f: CohortPageFilters): Promise<CohortPage> {
	await checkDashboardAccess(ctx, f);
	// Exactly what the key names goes to the job.
	const filters: CohortPageFilters = {
		studyId: f.studyId,
		siteCode: f.siteCode,
		doseGroup: f.doseGroup,
		lines: f.lines === true,
		listPoints: f.listPoints === true
	};
	const key = JSON.stringify(['cohort', viewerKey(ctx), filters]);
	return viewAsOfTrail(ctx, key, () =>
		readsOf(ctx).value('cohortPage', { for: readFor(ctx), filters })
	);
}

/** The safety-signals page's reads (a read job). */
export async function safetySignalsPageReads(
	ctx: ServiceContext,
	f: DashboardFilters
): Promise<SafetySignalsPage> {
	const view = await safetySignals(ctx, f);
	return view && safetySignalsData(view, shown(view.context));
}

/**
 * One view of the safety-signals page: the checks here, every read in one read job, made once
 * while the data stay as they are (view-cache.ts), as the cohort's. At the trial tier the job
 * costs 12-15 ms of a read worker for the same few summary rows each time.
 */
export async function safetySignalsPage(
	ctx: ServiceContext,
	f: DashboardFilters
): Promise<SafetySignalsPage> {
	await checkDashboardAccess(ctx, f);
	// Exactly what the key names goes to the job.
	const filters: DashboardFilters = {
		studyId: f.studyId,
		siteCode: f.siteCode,
		doseGroup: f.doseGroup
	};
	const key = JSON.stringify(['safetySignals', viewerKey(ctx), filters]);
	return viewAsOfTrail(ctx, key, () =>
		readsOf(ctx).value('safetySignalsPage', { for: readFor(ctx), filters })
	);
}

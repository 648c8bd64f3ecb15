// Cohort aggregates of the primary rating scale, grouped in SQL over the per participant-visit
// summary (scale_visit_total, kept by each write). A participant's total at a visit is their
// latest complete administration at it; baseline is the last complete total before the first
// dose (DOMAIN.md §2, as scale-series.ts). Rows leave the database per visit (and group), or per
// participant × visit for lines and scatter plots, never per item.
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Comparison } from '../../domain/protocol';
import type { Executor } from '../db';

/** Whose records a dashboard counts: the study, the sites read (already filtered) and a group. */
export interface DashboardScope {
	studyId: number;
	siteIds: number[] | 'all';
	doseGroup: string | null;
}

/**
 * The scope on a query's rows aliased `alias`: its study, its sites (none: no row) and its dose
 * group; with `inEffectOnly`, rows entered in error are left out as well.
 */
function scopeOn(scope: DashboardScope, alias: string, inEffectOnly: boolean): RawBuilder<SqlBool> {
	const col = (name: string) => sql.ref(`${alias}.${name}`);
	const conditions = [sql`${col('study_id')} = ${scope.studyId}`];
	if (inEffectOnly) conditions.push(sql`${col('entered_in_error_at')} is null`);
	if (scope.siteIds !== 'all') {
		conditions.push(
			scope.siteIds.length === 0
				? sql`0 = 1`
				: sql`${col('site_id')} in (${sql.join(scope.siteIds)})`
		);
	}
	if (scope.doseGroup !== null) conditions.push(sql`${col('dose_group')} = ${scope.doseGroup}`);
	return sql<SqlBool>`(${sql.join(conditions, sql` and `)})`;
}

/** Participants of the study in scope, not entered in error (a query's participants aliased `p`). */
export const inScope = (scope: DashboardScope, alias = 'p'): RawBuilder<SqlBool> =>
	scopeOn(scope, alias, true);

export interface CohortRule {
	instrument: string;
	responsePercent: number;
	remission: Comparison;
}

/**
 * Summary rows (aliased `x`) of participants in scope, for the scope's columns the summary
 * tables copy from the participant (rows exist only for records in effect).
 */
export const inSummaryScope = (scope: DashboardScope, alias = 'x'): RawBuilder<SqlBool> =>
	scopeOn(scope, alias, false);

/**
 * One participant's total at one visit, with their baseline and change from it after dosing:
 * the summary kept by each write (repositories/summaries.ts), not the administrations.
 */
function participantVisits(db: Executor, scope: DashboardScope, instrument: string) {
	return db
		.selectFrom('scale_visit_total as t')
		.innerJoin('site', 'site.id', 't.site_id')
		.select(['t.participant_id', 't.subject_code', 't.dose_group', 'site.code as site_code'])
		.select(['t.visit_code', 't.total', 't.baseline', 't.change', 't.pct'])
		.where('t.instrument', '=', instrument)
		.where(inSummaryScope(scope, 't'));
}

/** The summed columns of a cohort cell: what the cohort's lines add up across cells. */
export const CELL_SUMS = [
	'total_n',
	'total_sum',
	'total_sum_sq',
	'change_n',
	'change_sum',
	'change_sum_sq',
	'pct_n',
	'pct_sum',
	'pct_sum_sq',
	'responders',
	'remitters'
] as const;

/**
 * Per visit × site × dose group: moments of totals, of changes from baseline and of percent
 * changes (after the first dose, with a baseline); responders of those with a percent change;
 * remitters of all with a total — read from the cohort's second level (cohort_cell, kept by each
 * write under the active protocol's rule: repositories/cohort-cells.ts), a row per cell. Counts
 * and sums add up, so the service folds these cells into the overall, per-site and per-dose-group
 * lines.
 */
export function visitCells(db: Executor, scope: DashboardScope, rule: CohortRule) {
	return db
		.selectFrom('cohort_cell as x')
		.innerJoin('site', 'site.id', 'x.site_id')
		.select(['x.visit_code', 'site.code as site_code', 'x.dose_group'])
		.select(CELL_SUMS.map((c) => `x.${c}` as const))
		.where('x.instrument', '=', rule.instrument)
		.where('x.visit_code', '!=', '')
		.where(inSummaryScope(scope))
		.execute();
}

/** Each participant's totals by visit, for the first `limit` participants by subject code. */
export function participantLines(
	db: Executor,
	scope: DashboardScope,
	instrument: string,
	limit: number
) {
	const ranked = participantVisits(db, scope, instrument)
		.select(sql<number>`dense_rank() over (order by t.subject_code)`.as('k'))
		.as('l');
	return db
		.selectFrom(ranked)
		.select(['l.subject_code', 'l.site_code', 'l.dose_group', 'l.visit_code', 'l.total'])
		.where('l.k', '<=', limit)
		.orderBy('l.subject_code')
		.execute();
}

/** How many participants have a total on the instrument at some visit (cohort_cell's '' rows). */
export async function participantsWithTotals(
	db: Executor,
	scope: DashboardScope,
	instrument: string
): Promise<number> {
	const row = await db
		.selectFrom('cohort_cell as x')
		.select(sql<number>`coalesce(sum(x.total_n), 0)`.as('n'))
		.where('x.instrument', '=', instrument)
		.where('x.visit_code', '=', '')
		.where(inSummaryScope(scope))
		.executeTakeFirst();
	return Number(row?.n ?? 0);
}

/** Baseline and total at a (follow-up) visit, after dosing and from a nonzero baseline. */
export function followUpPoints(
	db: Executor,
	scope: DashboardScope,
	instrument: string,
	visitCode: string,
	limit: number
) {
	return db
		.selectFrom(participantVisits(db, scope, instrument).as('y'))
		.select(['y.subject_code', 'y.dose_group', 'y.site_code', 'y.total'])
		.select(sql<number>`y.baseline`.as('baseline'))
		.where('y.visit_code', '=', visitCode)
		.where('y.pct', 'is not', null)
		.orderBy('y.subject_code')
		.limit(limit)
		.execute();
}

/** Dose groups of the study's participants at these sites, for the filter. */
export async function doseGroups(
	db: Executor,
	studyId: number,
	siteIds: number[] | 'all'
): Promise<string[]> {
	const rows = await db
		.selectFrom('participant as p')
		.select('p.dose_group')
		.distinct()
		.where(inScope({ studyId, siteIds, doseGroup: null }))
		.orderBy('p.dose_group')
		.execute();
	return rows.map((r) => r.dose_group);
}

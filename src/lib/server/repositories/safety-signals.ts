// Safety signals grouped in SQL over the second level of the summaries each write keeps
// (repositories/summaries.ts, safety-cells.ts): who was dosed and each session's peak vitals
// (session_peak_cell), vital-sign breaches (session_breach_cell), adverse events per coded term
// and worst grade and AEs of special interest (ae_site_key). Each reads a row per site × dose
// group × bin, rule or key, never one per session or record.
import { sql } from 'kysely';
import type { VitalMeasure } from '../../domain/protocol';
import type { Executor } from '../db';
import { inSummaryScope, type DashboardScope } from './cohort';
import { ALL_SESSIONS } from './safety-cells';

/** Participants dosed at least once, and their dosing sessions, per site (session_peak_cell). */
export async function dosedBySite(db: Executor, scope: DashboardScope) {
	const rows = await db
		.selectFrom('session_peak_cell as x')
		.innerJoin('site', 'site.id', 'x.site_id')
		.select('site.code as site_code')
		.select(sql<number>`sum(x.participants)`.as('dosed'))
		.select(sql<number>`sum(x.sessions)`.as('sessions'))
		.where('x.measure', '=', ALL_SESSIONS)
		.where(inSummaryScope(scope))
		.groupBy('site.code')
		.orderBy('site.code')
		.execute();
	return rows.map((r) => ({
		site_code: r.site_code,
		dosed: Number(r.dosed),
		sessions: Number(r.sessions)
	}));
}

/**
 * Participants with at least one AE, per site × key × worst grade, with their events and how many
 * had a serious one, from the second-level summary (ae_site_key: each dosed participant counted
 * once per key). Keys: 'term' = coded term (null = not coded), 'any' = any AE, 'aesi' = an
 * AE-of-special-interest category.
 */
export async function aeIncidence(
	db: Executor,
	scope: DashboardScope,
	kind: 'term' | 'any' | 'aesi'
) {
	const rows = await db
		.selectFrom('ae_site_key as x')
		.innerJoin('site', 'site.id', 'x.site_id')
		.select(['site.code as site_code', 'x.key', 'x.worst'])
		.select(sql<number>`sum(x.participants)`.as('participants'))
		.select(sql<number>`sum(x.events)`.as('events'))
		.select(sql<number>`sum(x.with_serious)`.as('with_serious'))
		.where(inSummaryScope(scope))
		.where('x.key_kind', '=', kind)
		.groupBy(['site.code', 'x.key', 'x.worst'])
		.execute();
	return rows.map((r) => ({
		site_code: r.site_code,
		// Not coded: '' in the summary's key, null on the page.
		key: kind === 'term' && r.key === '' ? null : r.key,
		worst: Number(r.worst),
		participants: Number(r.participants),
		events: Number(r.events),
		with_serious: Number(r.with_serious)
	}));
}

/**
 * Vital-sign breaches per site and rule, in standing sessions, and the sessions with one, from
 * the per-session summary's second level (session_breach_cell; session_breach holds the flags of
 * the vitals rules that did not close themselves because their data were corrected or entered in
 * error).
 */
export async function vitalsBreaches(db: Executor, scope: DashboardScope) {
	const rows = await db
		.selectFrom('session_breach_cell as x')
		.innerJoin('site', 'site.id', 'x.site_id')
		.select(['site.code as site_code', 'x.rule_id'])
		.select(sql<number>`sum(x.breaches)`.as('breaches'))
		.select(sql<number>`sum(x.sessions)`.as('sessions'))
		.where(inSummaryScope(scope))
		.groupBy(['site.code', 'x.rule_id'])
		.orderBy('x.rule_id')
		.execute();
	return rows.map((r) => ({
		site_code: r.site_code,
		rule_id: r.rule_id,
		breaches: Number(r.breaches),
		sessions: Number(r.sessions)
	}));
}

/**
 * Histogram of each standing session's peak of one measure, in the summary's bins (PEAK_BINS:
 * lower edges in whole units of 1 / scale), from session_peak_cell.
 */
export async function peakHistogram(db: Executor, scope: DashboardScope, measure: VitalMeasure) {
	const rows = await db
		.selectFrom('session_peak_cell as x')
		.select('x.bin')
		.select(sql<number>`sum(x.sessions)`.as('sessions'))
		.where('x.measure', '=', measure)
		.where(inSummaryScope(scope))
		.groupBy('x.bin')
		.orderBy('x.bin')
		.execute();
	return rows.map((r) => ({ bin: Number(r.bin), sessions: Number(r.sessions) }));
}

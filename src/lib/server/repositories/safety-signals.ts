// Safety signals grouped in SQL over the summaries each write keeps (repositories/summaries.ts):
// who was dosed, adverse events per coded term and worst grade (from its second level,
// ae_site_key), AEs of special interest,
// vital-sign breaches and each session's peak vitals. Rows leave the database per site × term ×
// grade, per site × rule or per histogram bin, never per record.
import { sql } from 'kysely';
import type { VitalMeasure } from '../../domain/protocol';
import type { Executor } from '../db';
import { inSummaryScope, type DashboardScope } from './cohort';

/** Participants dosed at least once, and their dosing sessions, per site. */
export function dosedBySite(db: Executor, scope: DashboardScope) {
	return db
		.selectFrom('session_peak as x')
		.innerJoin('site', 'site.id', 'x.site_id')
		.select('site.code as site_code')
		.select(sql<number>`count(distinct x.participant_id)`.as('dosed'))
		.select(sql<number>`count(*)`.as('sessions'))
		.where(inSummaryScope(scope))
		.groupBy('site.code')
		.orderBy('site.code')
		.execute();
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
 * Vital-sign breaches per site and rule, in standing sessions, from the per-session summary
 * (session_breach: flags of the vitals rules that did not close themselves because their data
 * were corrected or entered in error).
 */
export function vitalsBreaches(db: Executor, scope: DashboardScope) {
	return db
		.selectFrom('session_breach as x')
		.innerJoin('site', 'site.id', 'x.site_id')
		.select(['site.code as site_code', 'x.rule_id'])
		.select(sql<number>`sum(x.breaches)`.as('breaches'))
		.select(sql<number>`count(*)`.as('sessions'))
		.where(inSummaryScope(scope))
		.groupBy(['site.code', 'x.rule_id'])
		.orderBy('x.rule_id')
		.execute();
}

const COLUMN: Record<VitalMeasure, 'systolic' | 'diastolic' | 'heart_rate' | 'temperature_c'> = {
	systolic: 'systolic',
	diastolic: 'diastolic',
	heartRate: 'heart_rate',
	temperature: 'temperature_c'
};

/**
 * Histogram of each standing session's peak of one measure (session_peak). Bins are `width`
 * wide, computed in whole units of 1 / `scale` (e.g. tenths of a degree) so a bin edge is exact:
 * the bin of a peak is ⌊round(peak × scale) / width⌋ × width, returned with `scale` still applied.
 */
export function peakHistogram(
	db: Executor,
	scope: DashboardScope,
	measure: VitalMeasure,
	bin: { scale: number; width: number }
) {
	if (!Number.isInteger(bin.width) || bin.width < 1) {
		throw new RangeError('Bin width in whole units');
	}
	const peak = sql.ref(`x.${COLUMN[measure]}`);
	// Literals, not parameters: a bound number may arrive as REAL and / would stop truncating.
	const width = sql.lit(bin.width);
	const lower = sql<number>`(cast(round(${peak} * ${sql.lit(bin.scale)}) as integer) / ${width}) * ${width}`;
	return db
		.selectFrom('session_peak as x')
		.select(lower.as('bin'))
		.select(sql<number>`count(*)`.as('sessions'))
		.where(inSummaryScope(scope))
		.where(peak, 'is not', null)
		.groupBy(sql`bin`)
		.orderBy(sql`bin`)
		.execute();
}

// Safety signals grouped in SQL over the summaries each write keeps (repositories/summaries.ts):
// who was dosed, adverse events per coded term and worst grade, AEs of special interest,
// vital-sign breaches and each session's peak vitals. Rows leave the database per site × term ×
// grade, per site × rule or per histogram bin, never per record.
import { sql, type RawBuilder } from 'kysely';
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

/** Code → group (e.g. AESI category) as a CASE over the coded term; null for the rest. */
function groupOfCode(groups: Record<string, readonly string[]>): RawBuilder<string | null> {
	const whens = Object.entries(groups)
		.filter(([, codes]) => codes.length > 0)
		.map(([group, codes]) => sql`when x.coded_term_code in (${sql.join(codes)}) then ${group}`);
	if (whens.length === 0) return sql<null>`null`;
	return sql<string | null>`case ${sql.join(whens, sql` `)} end`;
}

/**
 * Per dosed participant in scope and key: the worst grade, events and serious events among their
 * AEs in effect, from the per-term summary (ae_participant_term). `key` picks what a term counts
 * towards.
 */
function perParticipant(db: Executor, scope: DashboardScope, key: RawBuilder<unknown>) {
	return db
		.selectFrom('ae_participant_term as x')
		.innerJoin('site', 'site.id', 'x.site_id')
		.select(['x.participant_id', 'site.code as site_code'])
		.select(key.as('key'))
		.select(sql<number | null>`max(x.worst)`.as('worst'))
		.select(sql<number>`sum(x.events)`.as('events'))
		.select(sql<number>`sum(x.serious)`.as('serious'))
		.where(inSummaryScope(scope))
		.groupBy(['x.participant_id', 'site.code', sql`key`])
		.as('pt');
}

/**
 * Participants with at least one AE, per site × key × worst grade, with their events. Keys:
 * 'term' = coded term (null = not coded), 'any' = any AE, or an AE-of-special-interest category.
 */
export function aeIncidence(
	db: Executor,
	scope: DashboardScope,
	by: { kind: 'term' } | { kind: 'any' } | { kind: 'group'; groups: Record<string, string[]> }
) {
	const key =
		by.kind === 'term'
			? sql<string | null>`x.coded_term_code`
			: by.kind === 'any'
				? sql<string>`'any'`
				: groupOfCode(by.groups);
	let q = db
		.selectFrom(perParticipant(db, scope, key))
		.select(['pt.site_code', sql<string | null>`pt.key`.as('key'), 'pt.worst'])
		.select(sql<number>`count(*)`.as('participants'))
		.select(sql<number>`sum(pt.events)`.as('events'))
		.select(sql<number>`count(case when pt.serious > 0 then 1 end)`.as('with_serious'))
		.groupBy(['pt.site_code', 'pt.key', 'pt.worst']);
	// Uncoded AEs are a row of their own by term; outside every special-interest category.
	if (by.kind === 'group') q = q.where('pt.key', 'is not', null);
	return q.execute();
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

// Safety signals grouped in SQL: who was dosed, adverse events per coded term and worst grade,
// AEs of special interest, vital-sign breaches and each session's peak vitals. Rows leave the
// database per site × term × grade, per site × rule or per histogram bin, never per record.
import { sql, type RawBuilder } from 'kysely';
import type { VitalMeasure } from '../../domain/protocol';
import type { Executor } from '../db';
import { inScope, type DashboardScope } from './cohort';

/** Participants dosed at least once, and their dosing sessions, per site. */
export function dosedBySite(db: Executor, scope: DashboardScope) {
	return db
		.selectFrom('dosing_session as ds')
		.innerJoin('participant as p', 'p.id', 'ds.participant_id')
		.innerJoin('site', 'site.id', 'p.site_id')
		.select('site.code as site_code')
		.select(sql<number>`count(distinct ds.participant_id)`.as('dosed'))
		.select(sql<number>`count(*)`.as('sessions'))
		.where('ds.entered_in_error_at', 'is', null)
		.where(inScope(scope))
		.groupBy('site.code')
		.orderBy('site.code')
		.execute();
}

/** The stored severity as a grade: CTCAE 'grade:N' → N; mild, moderate, severe → 1, 2, 3. */
const GRADE = sql<number>`case
	when ae.severity like 'grade:%' then cast(substr(ae.severity, 7) as integer)
	when ae.severity = 'intensity:mild' then 1
	when ae.severity = 'intensity:moderate' then 2
	when ae.severity = 'intensity:severe' then 3 end`;

/** Code → group (e.g. AESI category) as a CASE over the coded term; null for the rest. */
function groupOfCode(groups: Record<string, readonly string[]>): RawBuilder<string | null> {
	const whens = Object.entries(groups)
		.filter(([, codes]) => codes.length > 0)
		.map(([group, codes]) => sql`when ae.coded_term_code in (${sql.join(codes)}) then ${group}`);
	if (whens.length === 0) return sql<null>`null`;
	return sql<string | null>`case ${sql.join(whens, sql` `)} end`;
}

/**
 * Per participant (dosed, in scope) and key: the worst grade, events and serious events among
 * their AEs that are not entered in error. `key` picks what an AE counts towards.
 */
function perParticipant(db: Executor, scope: DashboardScope, key: RawBuilder<unknown>) {
	return db
		.selectFrom('adverse_event as ae')
		.innerJoin('participant as p', 'p.id', 'ae.participant_id')
		.innerJoin('site', 'site.id', 'p.site_id')
		.select(['ae.participant_id', 'site.code as site_code'])
		.select(key.as('key'))
		.select(sql<number | null>`max(${GRADE})`.as('worst'))
		.select(sql<number>`count(*)`.as('events'))
		.select(sql<number>`sum(ae.serious)`.as('serious'))
		.where('ae.entered_in_error_at', 'is', null)
		.where(inScope(scope))
		.where((eb) =>
			eb.exists(
				eb
					.selectFrom('dosing_session as d')
					.select('d.id')
					.whereRef('d.participant_id', '=', 'ae.participant_id')
					.where('d.entered_in_error_at', 'is', null)
			)
		)
		.groupBy(['ae.participant_id', 'site.code', sql`key`])
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
			? sql<string | null>`ae.coded_term_code`
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
 * Vital-sign breaches (flags of the vitals rules, `vitals%`) per site and rule, in standing
 * sessions. Flags that closed themselves because their data were corrected or entered in error
 * (auto_closed) are not breaches.
 */
export function vitalsBreaches(db: Executor, scope: DashboardScope) {
	return db
		.selectFrom('flag as f')
		.innerJoin('dosing_session as ds', 'ds.id', 'f.dosing_session_id')
		.innerJoin('participant as p', 'p.id', 'ds.participant_id')
		.innerJoin('site', 'site.id', 'p.site_id')
		.select(['site.code as site_code', 'f.rule_id'])
		.select(sql<number>`count(*)`.as('breaches'))
		.select(sql<number>`count(distinct f.dosing_session_id)`.as('sessions'))
		.where('f.rule_id', 'like', 'vitals%')
		.where('f.auto_closed', '=', 0)
		.where('ds.entered_in_error_at', 'is', null)
		.where(inScope(scope))
		.groupBy(['site.code', 'f.rule_id'])
		.orderBy('f.rule_id')
		.execute();
}

const COLUMN: Record<VitalMeasure, 'systolic' | 'diastolic' | 'heart_rate' | 'temperature_c'> = {
	systolic: 'systolic',
	diastolic: 'diastolic',
	heartRate: 'heart_rate',
	temperature: 'temperature_c'
};

/**
 * Histogram of each standing session's peak of one measure. Bins are `width` wide, computed in
 * whole units of 1 / `scale` (e.g. tenths of a degree) so a bin edge is exact: the bin of a peak
 * is ⌊round(peak × scale) / width⌋ × width, returned with `scale` still applied.
 */
export function peakHistogram(
	db: Executor,
	scope: DashboardScope,
	measure: VitalMeasure,
	bin: { scale: number; width: number }
) {
	const peaks = db
		.selectFrom('vital_reading as vr')
		.innerJoin('dosing_session as ds', 'ds.id', 'vr.dosing_session_id')
		.innerJoin('participant as p', 'p.id', 'ds.participant_id')
		.select('ds.id')
		.select(sql<number>`max(${sql.ref(`vr.${COLUMN[measure]}`)})`.as('peak'))
		.where('vr.entered_in_error_at', 'is', null)
		.where('ds.entered_in_error_at', 'is', null)
		.where(inScope(scope))
		.groupBy('ds.id')
		.as('pk');
	if (!Number.isInteger(bin.width) || bin.width < 1) {
		throw new RangeError('Bin width in whole units');
	}
	// Literals, not parameters: a bound number may arrive as REAL and / would stop truncating.
	const width = sql.lit(bin.width);
	const lower = sql<number>`(cast(round(pk.peak * ${sql.lit(bin.scale)}) as integer) / ${width}) * ${width}`;
	return db
		.selectFrom(peaks)
		.select(lower.as('bin'))
		.select(sql<number>`count(*)`.as('sessions'))
		.where('pk.peak', 'is not', null)
		.groupBy(sql`bin`)
		.orderBy(sql`bin`)
		.execute();
}

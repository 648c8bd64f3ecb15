// The vital-sign rules of a dosing session: absolute bands, change from the pre-dose baseline,
// sustained values and missed readings. Pure: readings, baseline, rules and clock in; flags out.
import {
	bandRuleId,
	changeRuleId,
	compare,
	FLAG_LEVELS,
	RULE_IDS,
	VITAL_MEASURES,
	type Comparison,
	type FlagLevel,
	type SafetyRules,
	type VitalMeasure,
	type VitalsTimepoint
} from '../protocol';
import {
	dueReadings,
	isInEffect,
	parsedOnce,
	pickBaseline,
	toMillis,
	withTimesParsed,
	type VitalsReading
} from '../vitals';
import { atLeast, levelRank, sortCandidates, type FlagCandidate } from './types';
import { bandText, changeText, MEASURE_WORDS, withInstruction } from './words';
import { missedReadingKey } from './missed-outcome';

export interface SessionFacts {
	sessionId: number;
	t0: string | Date;
	endedAt: string | Date | null;
	readings: readonly (VitalsReading & { id: number })[];
	timepoints: readonly VitalsTimepoint[];
}

export interface BandHit {
	measure: VitalMeasure;
	side: 'high' | 'low';
	level: FlagLevel;
	threshold: Comparison;
	value: number;
}

/** The most severe band a value falls in, on either side; null when inside every band. */
export function bandOf(rules: SafetyRules, measure: VitalMeasure, value: number): BandHit | null {
	const bands = rules.vitals[measure];
	let hit: BandHit | null = null;
	for (const side of ['high', 'low'] as const) {
		for (const level of FLAG_LEVELS) {
			const threshold = bands[side][level];
			if (!threshold || !compare(value, threshold)) continue;
			if (!hit || levelRank(level) > levelRank(hit.level)) {
				hit = { measure, side, level, threshold, value };
			}
		}
	}
	return hit;
}

/** In time order; same-time readings by id, so the order readings arrive in never matters. */
function chronological<R extends VitalsReading & { id: number }>(readings: readonly R[]): R[] {
	// Each time parsed once, not once per comparison.
	return readings
		.filter(isInEffect)
		.map((r) => ({ r, ms: toMillis(r.takenAt) }))
		.sort((a, b) => a.ms - b.ms || a.r.id - b.r.id)
		.map(({ r }) => r);
}

/**
 * The facts with T0, the end and every reading's time parsed once: each rule reads them again
 * (the baseline per change rule, the due list per timepoint), and parsing was about a fifth of an
 * evaluation. Same results: a Date and its ISO string are the same instant to toMillis.
 */
export function timesParsed<
	F extends Pick<SessionFacts, 't0' | 'readings'> & Partial<SessionFacts>
>(facts: F): F {
	return {
		...facts,
		t0: parsedOnce(facts.t0),
		...(facts.endedAt ? { endedAt: parsedOnce(facts.endedAt) } : {}),
		readings: withTimesParsed(facts.readings)
	};
}

/** A flag on a reading with the finding in words (no level or instruction), for summaries. */
export type ReadingFlag = FlagCandidate & { finding: string };

/** `ordered`: the session's readings in effect, chronological (sorted once per evaluation). */
type Ordered = readonly SessionFacts['readings'][number][];

function bandFlags(ordered: Ordered, rules: SafetyRules): ReadingFlag[] {
	const out: ReadingFlag[] = [];
	for (const r of ordered) {
		for (const measure of VITAL_MEASURES) {
			const value = r[measure];
			if (value === null || value === undefined) continue;
			const hit = bandOf(rules, measure, value);
			if (!hit) continue;
			const ruleId = bandRuleId(measure, hit.side, hit.level);
			out.push({
				ruleId,
				level: hit.level,
				sourceType: 'vital_reading',
				sourceId: r.id,
				key: `${ruleId}|vital_reading:${r.id}`,
				values: {
					measure,
					value,
					threshold: `${hit.threshold.op} ${hit.threshold.value}`,
					takenAt: new Date(toMillis(r.takenAt)).toISOString()
				},
				finding: bandText(measure, value, hit.threshold),
				message: withInstruction(bandText(measure, value, hit.threshold), hit.level, rules.messages)
			});
		}
	}
	return out;
}

function changeFlags(
	facts: Pick<SessionFacts, 't0' | 'readings'>,
	ordered: Ordered,
	rules: SafetyRules
): ReadingFlag[] {
	const out: ReadingFlag[] = [];
	const t0 = toMillis(facts.t0);
	const after = ordered.filter((r) => toMillis(r.takenAt) >= t0);
	for (const rule of rules.vitalsChange) {
		const baselineReading = pickBaseline(facts.readings, facts.t0, rule.measure);
		const baseline = baselineReading?.[rule.measure];
		if (baseline === null || baseline === undefined) continue;
		for (const r of after) {
			const value = r[rule.measure];
			if (value === null || value === undefined) continue;
			if (rule.basis === 'percent' && baseline === 0) continue;
			const change =
				rule.basis === 'absolute' ? value - baseline : ((value - baseline) / baseline) * 100;
			if (!compare(Math.round(change * 1000) / 1000, rule.change)) continue;
			const ruleId = changeRuleId(rule);
			out.push({
				ruleId,
				level: rule.level,
				sourceType: 'vital_reading',
				sourceId: r.id,
				key: `${ruleId}|vital_reading:${r.id}`,
				values: {
					measure: rule.measure,
					value,
					baseline,
					change: Math.round(change * 10) / 10,
					basis: rule.basis
				},
				finding: changeText(rule.measure, value, baseline, change, rule.basis, rule.change),
				message: withInstruction(
					changeText(rule.measure, value, baseline, change, rule.basis, rule.change),
					rule.level,
					rules.messages
				)
			});
		}
	}
	return out;
}

/**
 * At least n readings in a row at the trigger level or above, the first and the last of the run
 * ≥ m minutes apart; one flag per run, on the reading that completes it.
 */
function sustainedFlags(ordered: Ordered, rules: SafetyRules): FlagCandidate[] {
	const rule = rules.sustained;
	if (!rule.enabled) return [];
	const out: FlagCandidate[] = [];
	for (const measure of VITAL_MEASURES) {
		const series = ordered.filter((r) => r[measure] !== null && r[measure] !== undefined);
		let run: typeof series = [];
		let raised = false;
		for (const r of series) {
			const hit = bandOf(rules, measure, r[measure]!);
			if (!hit || hit.side !== 'high' || !atLeast(hit.level, rule.triggerLevel)) {
				run = [];
				raised = false;
				continue;
			}
			run.push(r);
			// Measured from the start of the run, not over the last n readings only: otherwise
			// rechecks every 5 minutes at the action level for an hour would never be sustained.
			const spanMinutes = (toMillis(r.takenAt) - toMillis(run[0]!.takenAt)) / 60_000;
			if (raised || run.length < rule.consecutiveReadings || spanMinutes < rule.minMinutesApart) {
				continue;
			}
			raised = true;
			const m = MEASURE_WORDS[measure];
			out.push({
				ruleId: RULE_IDS.sustained,
				level: rule.level,
				sourceType: 'vital_reading',
				sourceId: r.id,
				key: `${RULE_IDS.sustained}|${measure}|vital_reading:${r.id}`,
				values: {
					measure,
					readings: run.length,
					values: run.map((x) => x[measure]).join(', '),
					minutes: Math.round(spanMinutes)
				},
				message: withInstruction(
					`${m.name} at ${rule.triggerLevel} level or above on ${run.length} readings in a row over ${Math.round(spanMinutes)} minutes (${run.map((x) => x[measure]).join(', ')} ${m.unit})`,
					rule.level,
					rules.messages
				)
			});
		}
	}
	return out;
}

function missedFlags(facts: SessionFacts, rules: SafetyRules, now: Date): FlagCandidate[] {
	const rule = rules.missedReading;
	if (!rule.enabled) return [];
	return dueReadings(facts.timepoints, facts.t0, facts.endedAt, facts.readings, now)
		.filter((d) => d.status === 'late' && d.minutesLate >= rule.minutesLate)
		.map((d) => ({
			ruleId: RULE_IDS.missedReading,
			level: rule.level,
			sourceType: 'dosing_session' as const,
			sourceId: facts.sessionId,
			key: missedReadingKey(facts.sessionId, d.timepoint.vstptnum),
			values: {
				timepoint: d.timepoint.vstpt,
				scheduledAt: d.scheduledAt?.toISOString() ?? null,
				// In words ('heart rate', not 'heartRate'): the audit explorer shows these values as stored.
				missing: d.missing.map((m) => MEASURE_WORDS[m].name.toLowerCase()).join(', ')
			},
			message: withInstruction(
				`The ${d.timepoint.vstpt} reading is ${d.minutesLate} minutes late (limit ${rule.minutesLate})`,
				rule.level,
				rules.messages
			)
		}));
}

/** Every vital-sign flag a session's readings call for at `now`. */
export function evaluateSessionVitals(
	facts: SessionFacts,
	rules: SafetyRules,
	now: Date
): FlagCandidate[] {
	facts = timesParsed(facts);
	const ordered = chronological(facts.readings);
	return sortCandidates([
		...bandFlags(ordered, rules),
		...changeFlags(facts, ordered, rules),
		...sustainedFlags(ordered, rules),
		...missedFlags(facts, rules, now)
	]);
}

/**
 * The supplemental-dose gate: a flag at the hold level or above on a reading taken after T0 and
 * before the supplemental dose (or before now, while it is not yet given) says hold it. That is a
 * band flag or a change-from-baseline flag: both at action say "hold the supplemental dose".
 */
export function supplementalHold(
	facts: Pick<SessionFacts, 't0' | 'readings'>,
	rules: SafetyRules,
	until: Date
): ReadingFlag[] {
	const gate = rules.supplementalGate;
	if (!gate.enabled) return [];
	facts = timesParsed(facts);
	const t0 = toMillis(facts.t0);
	const ordered = chronological(facts.readings);
	const inWindow = new Set(
		ordered
			.filter((r) => toMillis(r.takenAt) >= t0 && toMillis(r.takenAt) <= until.getTime())
			.map((r) => r.id)
	);
	return sortCandidates([
		...bandFlags(ordered, rules),
		...changeFlags(facts, ordered, rules)
	]).filter((c) => inWindow.has(c.sourceId) && atLeast(c.level, gate.holdAtLevel));
}

/**
 * The flag for a supplemental dose given although the gate said hold: the findings that held it,
 * and the override reason when one was recorded. Null when nothing held it.
 */
export function supplementalGivenFlag(
	sessionId: number,
	holds: ReadingFlag[],
	rules: SafetyRules,
	overrideReason: string | null
): FlagCandidate | null {
	if (holds.length === 0) return null;
	const heldBy = holds.map((h) => h.finding).join('; ');
	const level = rules.supplementalGate.holdAtLevel;
	const why = overrideReason === null ? '' : ` (override: ${overrideReason})`;
	return {
		ruleId: RULE_IDS.supplementalGate,
		level,
		sourceType: 'dosing_session',
		sourceId: sessionId,
		key: `${RULE_IDS.supplementalGate}|dosing_session:${sessionId}`,
		values: overrideReason === null ? { heldBy } : { overrideReason, heldBy },
		message: withInstruction(
			`The supplemental dose was given although ${heldBy}${why}`,
			level,
			rules.messages
		)
	};
}

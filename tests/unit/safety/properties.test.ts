import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	DEFAULT_SAFETY_RULES,
	VITAL_MEASURES,
	type FlagLevel,
	type VitalMeasure
} from '../../../src/lib/domain/protocol';
import {
	evaluateAdministration,
	evaluateSessionVitals,
	evaluateWorsening,
	missedReadingOutcomes,
	supplementalHold,
	type FlagCandidate,
	type SessionFacts
} from '../../../src/lib/domain/safety';
import { at, demoRules, highest, session, type Reading } from './fixtures';

const RULE_SETS = [
	{ name: 'the demo protocol', rules: demoRules() },
	{ name: 'DEFAULT_SAFETY_RULES', rules: DEFAULT_SAFETY_RULES },
	{
		name: 'a protocol with a percent rule and 3-reading sustained',
		rules: demoRules((r) => {
			r.vitalsChange.push({
				measure: 'diastolic',
				basis: 'percent',
				change: { op: '>=', value: 20 },
				level: 'notify'
			});
			r.sustained.consecutiveReadings = 3;
		})
	}
];

/** Plausible values (DOMAIN.md §1 hard limits) over every band; sometimes not taken. */
const WIDE = {
	systolic: fc.integer({ min: 50, max: 300 }),
	diastolic: fc.integer({ min: 20, max: 200 }),
	heartRate: fc.integer({ min: 20, max: 250 }),
	temperature: fc.integer({ min: 300, max: 450 }).map((t) => t / 10)
};

/** Values at or above every low threshold, so raising one cannot leave a low band. */
const NOT_LOW = {
	systolic: fc.integer({ min: 90, max: 260 }),
	diastolic: fc.integer({ min: 50, max: 150 }),
	heartRate: fc.integer({ min: 50, max: 200 }),
	temperature: fc.integer({ min: 350, max: 420 }).map((t) => t / 10)
};

type Ranges = typeof WIDE;

/** Minutes from T0 in 5-minute steps, so runs, ties and the 15-minute limits all occur. */
const minutes = fc.integer({ min: -12, max: 100 }).map((m) => m * 5);

function readingArb(ranges: Ranges, maybeMissing: boolean) {
	const value = (arb: fc.Arbitrary<number>) =>
		maybeMissing ? fc.option(arb, { freq: 6, nil: null }) : arb;
	return fc.record({
		minutes,
		systolic: value(ranges.systolic),
		diastolic: value(ranges.diastolic),
		heartRate: value(ranges.heartRate),
		temperature: fc.option(ranges.temperature, { freq: 2, nil: null }),
		timepointNumber: fc.oneof(
			fc.constant(undefined),
			fc.constant(null),
			fc.integer({ min: 1, max: 11 })
		),
		enteredInError: fc.boolean()
	});
}

/** Readings with ids 1…n, a session end (or none) and a clock. */
function sessionArb(ranges: Ranges = WIDE, maybeMissing = true) {
	return fc
		.record({
			rows: fc.array(readingArb(ranges, maybeMissing), { maxLength: 14 }),
			endedAt: fc.option(
				fc.integer({ min: 12, max: 110 }).map((m) => m * 5),
				{ nil: null }
			),
			now: fc.integer({ min: -60, max: 720 })
		})
		.map(({ rows, endedAt, now }) => {
			const readings: Reading[] = rows.map(({ minutes: m, ...values }, i) => ({
				...values,
				id: i + 1,
				takenAt: at(m).toISOString()
			}));
			const facts: SessionFacts = session(readings, {
				endedAt: endedAt === null ? null : at(endedAt)
			});
			return { facts, now: at(now) };
		});
}

const RANK: Record<FlagLevel, number> = { notify: 1, action: 2, urgent: 3 };
const rank = (level: FlagLevel | null) => (level === null ? 0 : RANK[level]);

const onReading = (flags: FlagCandidate[], id: number) =>
	flags.filter((f) => f.sourceType === 'vital_reading' && f.sourceId === id);

describe.each(RULE_SETS)('session vitals properties under $name', ({ rules }) => {
	it('gives deep-equal output for the same input twice', () => {
		fc.assert(
			fc.property(sessionArb(), ({ facts, now }) => {
				expect(evaluateSessionVitals(structuredClone(facts), rules, now)).toEqual(
					evaluateSessionVitals(facts, rules, now)
				);
			})
		);
	});

	it('does not depend on the order the readings arrive in', () => {
		const shuffled = sessionArb().chain(({ facts, now }) =>
			fc
				.shuffledSubarray([...facts.readings], {
					minLength: facts.readings.length,
					maxLength: facts.readings.length
				})
				.map((readings) => ({ facts, now, readings }))
		);
		fc.assert(
			fc.property(shuffled, ({ facts, now, readings }) => {
				expect(evaluateSessionVitals({ ...facts, readings }, rules, now)).toEqual(
					evaluateSessionVitals(facts, rules, now)
				);
			})
		);
	});

	it('is not changed by adding a reading entered in error', () => {
		const withStruck = sessionArb().chain(({ facts, now }) =>
			readingArb(WIDE, true).map(({ minutes: m, ...values }) => ({
				facts,
				now,
				struck: {
					...values,
					id: facts.readings.length + 1,
					takenAt: at(m).toISOString(),
					enteredInError: true
				} satisfies Reading
			}))
		);
		fc.assert(
			fc.property(withStruck, ({ facts, now, struck }) => {
				const more = { ...facts, readings: [...facts.readings, struck] };
				expect(evaluateSessionVitals(more, rules, now)).toEqual(
					evaluateSessionVitals(facts, rules, now)
				);
			})
		);
	});

	it('never lowers the highest level on a reading when one of its values rises', () => {
		const raised = sessionArb(NOT_LOW, false)
			.filter(({ facts }) => facts.readings.length > 0)
			.chain(({ facts, now }) =>
				fc.record({
					facts: fc.constant(facts),
					now: fc.constant(now),
					index: fc.nat({ max: facts.readings.length - 1 }),
					measure: fc.constantFrom<VitalMeasure>('systolic', 'diastolic', 'heartRate'),
					by: fc.integer({ min: 1, max: 60 })
				})
			);
		fc.assert(
			fc.property(raised, ({ facts, now, index, measure, by }) => {
				const target = facts.readings[index];
				if (!target) return;
				const before = highest(onReading(evaluateSessionVitals(facts, rules, now), target.id));
				const readings = facts.readings.map((r) =>
					r.id === target.id ? { ...r, [measure]: (r[measure] ?? 0) + by } : r
				);
				const after = highest(
					onReading(evaluateSessionVitals({ ...facts, readings }, rules, now), target.id)
				);
				expect(rank(after)).toBeGreaterThanOrEqual(rank(before));
			})
		);
	});

	it('never lowers the highest level on a reading when its temperature rises', () => {
		const raised = sessionArb(NOT_LOW, false)
			.filter(({ facts }) => facts.readings.some((r) => r.temperature !== null))
			.chain(({ facts, now }) =>
				fc.record({
					facts: fc.constant(facts),
					now: fc.constant(now),
					target: fc.constantFrom(...facts.readings.filter((r) => r.temperature !== null)),
					tenths: fc.integer({ min: 1, max: 30 })
				})
			);
		fc.assert(
			fc.property(raised, ({ facts, now, target, tenths }) => {
				const before = highest(onReading(evaluateSessionVitals(facts, rules, now), target.id));
				const temperature = Math.round((target.temperature ?? 0) * 10 + tenths) / 10;
				const readings = facts.readings.map((r) =>
					r.id === target.id ? { ...r, temperature } : r
				);
				const after = highest(
					onReading(evaluateSessionVitals({ ...facts, readings }, rules, now), target.id)
				);
				expect(rank(after)).toBeGreaterThanOrEqual(rank(before));
			})
		);
	});

	it('gives every candidate its own key', () => {
		fc.assert(
			fc.property(sessionArb(), ({ facts, now }) => {
				const keys = evaluateSessionVitals(facts, rules, now).map((f) => f.key);
				expect(new Set(keys).size).toBe(keys.length);
			})
		);
	});

	it('raises at most one band flag per reading and measure', () => {
		fc.assert(
			fc.property(sessionArb(), ({ facts, now }) => {
				const flags = evaluateSessionVitals(facts, rules, now);
				for (const r of facts.readings) {
					for (const m of VITAL_MEASURES) {
						const bands = onReading(flags, r.id).filter((f) => f.ruleId.startsWith(`vitals.${m}.`));
						expect(bands.length).toBeLessThanOrEqual(1);
					}
				}
			})
		);
	});
});

// DOMAIN.md §1, written out as the clinician reads the table (not from the implementation).
const SPEC: Record<VitalMeasure, (v: number) => string | null> = {
	systolic: (v) =>
		v > 180
			? 'high.urgent'
			: v >= 160
				? 'high.action'
				: v >= 140
					? 'high.notify'
					: v < 90
						? 'low.notify'
						: null,
	diastolic: (v) =>
		v > 120
			? 'high.urgent'
			: v >= 100
				? 'high.action'
				: v >= 90
					? 'high.notify'
					: v < 50
						? 'low.notify'
						: null,
	heartRate: (v) =>
		v > 130
			? 'high.urgent'
			: v > 115
				? 'high.action'
				: v > 100
					? 'high.notify'
					: v < 50
						? 'low.notify'
						: null,
	temperature: (v) =>
		v > 39
			? 'high.urgent'
			: v >= 38
				? 'high.action'
				: v >= 37.8
					? 'high.notify'
					: v < 35
						? 'low.notify'
						: null
};

describe('band flags match the DOMAIN.md table for every plausible value', () => {
	it.each(VITAL_MEASURES)('%s', (measure) => {
		const rules = demoRules((r) => {
			r.vitalsChange = [];
			r.sustained.enabled = false;
			r.missedReading.enabled = false;
		});
		fc.assert(
			fc.property(WIDE[measure], (value) => {
				const r: Reading = { id: 1, takenAt: at(60).toISOString(), [measure]: value };
				const flags = evaluateSessionVitals(session([r]), rules, at(60));
				const expected = SPEC[measure](value);
				expect(flags.map((f) => f.ruleId)).toEqual(
					expected ? [`vitals.${measure}.${expected}`] : []
				);
			}),
			{ numRuns: 500 }
		);
	});
});

describe('scale properties', () => {
	const rules = demoRules();
	const administration = fc.record({
		id: fc.nat(),
		instrument: fc.constantFrom('MADRS', 'HAMD17', 'PHQ9', 'QIDSSR16', 'BDI2', 'CSSRS' as const),
		itemScores: fc.dictionary(
			fc.integer({ min: 1, max: 21 }).map(String),
			fc.option(fc.integer({ min: 0, max: 6 }), { nil: null })
		),
		cssrs: fc.record({
			ideationTypesYes: fc.uniqueArray(fc.integer({ min: 1, max: 5 })),
			behaviour: fc.boolean(),
			behaviours: fc.array(fc.constantFrom('actual attempt', 'aborted attempt'))
		})
	});

	it('gives every candidate its own key, the same output twice', () => {
		fc.assert(
			fc.property(administration, (a) => {
				const flags = evaluateAdministration(a, rules);
				expect(new Set(flags.map((f) => f.key)).size).toBe(flags.length);
				expect(evaluateAdministration(structuredClone(a), rules)).toEqual(flags);
			})
		);
	});

	it('never lowers the level when an item score rises', () => {
		fc.assert(
			fc.property(
				administration,
				fc.integer({ min: 1, max: 21 }),
				fc.integer({ min: 1, max: 6 }),
				(a, item, by) => {
					const before = highest(evaluateAdministration(a, rules));
					const score = (a.itemScores[String(item)] ?? 0) + by;
					const after = highest(
						evaluateAdministration(
							{ ...a, itemScores: { ...a.itemScores, [String(item)]: score } },
							rules
						)
					);
					expect(rank(after)).toBeGreaterThanOrEqual(rank(before));
				}
			)
		);
	});

	it('judges worsening the same whatever order the visits arrive in', () => {
		const series = fc
			.uniqueArray(fc.integer({ min: 0, max: 400 }), { maxLength: 8 })
			.chain((days) =>
				fc.tuple(
					fc.constant(days),
					fc.array(fc.integer({ min: 0, max: 60 }), {
						minLength: days.length,
						maxLength: days.length
					})
				)
			)
			.map(([days, totals]) =>
				days.map((day, i) => ({
					administrationId: i + 1,
					at: new Date(Date.UTC(2025, 0, 1) + day * 86_400_000).toISOString(),
					total: totals[i] ?? 0
				}))
			);
		fc.assert(
			fc.property(series, fc.integer({ min: 0, max: 60 }), (points, baseline) => {
				const forward = evaluateWorsening('MADRS', baseline, points, rules);
				expect(evaluateWorsening('MADRS', baseline, [...points].reverse(), rules)).toEqual(forward);
				expect(new Set(forward.map((f) => f.key)).size).toBe(forward.length);
			})
		);
	});
});

/** The same instant written at another offset (+05:30), as a string the rules must parse. */
function atOffset(time: string | Date | null): string | null {
	if (time === null) return null;
	const local = new Date(new Date(time).getTime() + 330 * 60_000).toISOString();
	return `${local.slice(0, -1)}+05:30`;
}

/** Each time of the facts written another way: as Dates, or as strings at another offset. */
function rewritten(facts: SessionFacts, write: (t: string | Date) => string | Date): SessionFacts {
	return {
		...facts,
		t0: write(facts.t0),
		endedAt: facts.endedAt === null ? null : write(facts.endedAt),
		readings: facts.readings.map((r) => ({ ...r, takenAt: write(r.takenAt) }))
	};
}

// The rules parse each time once (timesParsed) rather than wherever they read it: a Date, an ISO
// string and the same instant at another offset must give the same flags, holds and outcomes.
describe.each(RULE_SETS)('times parsed once under $name', ({ rules }) => {
	it('gives the same result for ISO strings, Dates and other offsets', () => {
		fc.assert(
			fc.property(sessionArb(), fc.integer({ min: 0, max: 600 }), ({ facts, now }, until) => {
				const asDates = rewritten(facts, (t) => new Date(t));
				const asOffsets = rewritten(facts, (t) => atOffset(t)!);
				const flags = evaluateSessionVitals(facts, rules, now);
				expect(evaluateSessionVitals(asDates, rules, now)).toEqual(flags);
				expect(evaluateSessionVitals(asOffsets, rules, now)).toEqual(flags);
				const holds = supplementalHold(facts, rules, at(until));
				expect(supplementalHold(asDates, rules, at(until))).toEqual(holds);
				expect(supplementalHold(asOffsets, rules, at(until))).toEqual(holds);
				const outcomes = missedReadingOutcomes(facts, 'Europe/London', 15);
				expect(missedReadingOutcomes(asDates, 'Europe/London', 15)).toEqual(outcomes);
				expect(missedReadingOutcomes(asOffsets, 'Europe/London', 15)).toEqual(outcomes);
			}),
			{ numRuns: 300 }
		);
	});
});

// The baseline and the due list are worked out in one pass over a session's readings (each time
// parsed once): they must give exactly what the plain definitions give, on any session.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_VITALS_TIMEPOINTS, VITAL_MEASURES } from '../../../src/lib/domain/protocol';
import type { VitalMeasure, VitalsTimepoint } from '../../../src/lib/domain/protocol';
import {
	dueReadings,
	lastValuesBefore,
	nearestScheduledTimepoint,
	pickBaseline
} from '../../../src/lib/domain/vitals';
import type { VitalsReading } from '../../../src/lib/domain/vitals';

const T0 = Date.parse('2025-03-05T09:00:00.000Z');
const iso = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

/** The definition: of the readings in effect, done, before the cut-off (and with the measure), the latest; ties broken by id and values. */
function baselineByDefinition(
	readings: readonly VitalsReading[],
	before: string,
	measure?: VitalMeasure
): VitalsReading | undefined {
	const key = (r: VitalsReading) =>
		[String(r.id ?? ''), ...VITAL_MEASURES.map((m) => r[m] ?? '')].join('|');
	const candidates = readings.filter(
		(r) =>
			r.enteredInError !== true &&
			!r.notDone &&
			Date.parse(String(r.takenAt)) < Date.parse(before) &&
			(!measure || (r[measure] !== null && r[measure] !== undefined))
	);
	let best: VitalsReading | undefined;
	for (const r of candidates) {
		const diff = best ? Date.parse(String(r.takenAt)) - Date.parse(String(best.takenAt)) : 1;
		if (diff > 0 || (diff === 0 && key(r) > key(best!))) best = r;
	}
	return best;
}

/** The definition: a reading answers the timepoint it names, or the nearest within tolerance. */
function answersByDefinition(r: VitalsReading, tp: VitalsTimepoint, endMinutes: number | null) {
	if (r.timepointNumber !== undefined) return r.timepointNumber === tp.vstptnum;
	const minutes = (Date.parse(String(r.takenAt)) - T0) / 60_000;
	return (
		nearestScheduledTimepoint(DEFAULT_VITALS_TIMEPOINTS, minutes, {
			toleranceMinutes: 10,
			endMinutes
		}) === tp
	);
}

const value = (min: number, max: number) => fc.option(fc.integer({ min, max }), { nil: null });
const tpNumbers = DEFAULT_VITALS_TIMEPOINTS.map((t) => t.vstptnum);
/** Readings on the half hours (so ties are common), some struck out, some not done. */
const readings = fc
	.array(
		fc.record({
			minutes: fc.integer({ min: -2, max: 16 }).map((m) => m * 30),
			systolic: value(60, 220),
			diastolic: value(40, 130),
			heartRate: value(40, 160),
			temperature: fc.option(
				fc.integer({ min: 350, max: 410 }).map((t) => t / 10),
				{ nil: null }
			),
			enteredInError: fc.boolean(),
			notDone: fc.option(fc.constant('patient asleep'), { nil: null }),
			timepointNumber: fc.option(fc.oneof(fc.constantFrom(...tpNumbers), fc.constant(null)), {
				nil: undefined
			}),
			id: fc.integer({ min: 1, max: 40 })
		}),
		{ maxLength: 30 }
	)
	.map((rs) => rs.map(({ minutes, ...r }): VitalsReading => ({ ...r, takenAt: iso(minutes) })));

describe('one pass over the readings gives what the definitions give', () => {
	it('pickBaseline and lastValuesBefore, for every measure and cut-off', () => {
		fc.assert(
			fc.property(
				readings,
				fc.integer({ min: -60, max: 500 }),
				fc.constantFrom(undefined, ...VITAL_MEASURES),
				(rs, cut, measure) => {
					const before = iso(cut);
					expect(pickBaseline(rs, before, measure)).toBe(baselineByDefinition(rs, before, measure));
					const expected: Partial<Record<VitalMeasure, number>> = {};
					for (const m of VITAL_MEASURES) {
						const v = baselineByDefinition(rs, before, m)?.[m];
						if (v !== null && v !== undefined) expected[m] = v;
					}
					expect(lastValuesBefore(rs, before)).toEqual(expected);
				}
			),
			{ numRuns: 500 }
		);
	});

	it('dueReadings: each timepoint’s status and missing measures', () => {
		fc.assert(
			fc.property(
				readings,
				fc.option(fc.integer({ min: 60, max: 500 }), { nil: null }),
				fc.integer({ min: -60, max: 600 }),
				(rs, end, now) => {
					const rows = dueReadings(
						DEFAULT_VITALS_TIMEPOINTS,
						iso(0),
						end === null ? null : iso(end),
						rs,
						iso(now)
					);
					for (const row of rows) {
						const mine = rs.filter(
							(r) => r.enteredInError !== true && answersByDefinition(r, row.timepoint, end)
						);
						const missing = row.timepoint.measurements.filter(
							(m) => !mine.some((r) => r[m] !== null && r[m] !== undefined)
						);
						expect(row.missing).toEqual(missing);
						if (missing.length === 0) expect(row.status).toBe('done');
						else if (mine.some((r) => r.notDone)) expect(row.status).toBe('not-done');
						else expect(row.status).not.toMatch(/^(done|not-done)$/);
					}
				}
			),
			{ numRuns: 500 }
		);
	});
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_VITALS_TIMEPOINTS } from '../../../src/lib/domain/protocol/defaults-session';
import { missingAtEnd, pickBaseline } from '../../../src/lib/domain/vitals';

const T0 = '2026-11-20T09:00:00Z';
const tps = DEFAULT_VITALS_TIMEPOINTS;
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
const reading = (minutes: number, extra = {}) => ({
	takenAt: at(minutes),
	systolic: 120,
	diastolic: 80,
	timepointNumber: tps.find((t) => t.minutes === minutes)!.vstptnum,
	...extra
});

describe('scheduled readings missing at the end of a session', () => {
	it('lists every timepoint up to the end with no reading, never "end" or ones after the end', () => {
		const missing = missingAtEnd(tps, T0, at(200), [reading(-30), reading(30), reading(90)]);
		expect(missing.map((m) => m.timepoint.minutes)).toEqual([60, 120, 180]);
		expect(missing[0]!.plannedAt.toISOString()).toBe(at(60));
	});

	it('a reading recorded as not done answers its timepoint; one entered in error does not', () => {
		const readings = [
			reading(-30),
			reading(30, { systolic: null, diastolic: null, notDone: 'asleep' }),
			reading(60, { enteredInError: true })
		];
		expect(missingAtEnd(tps, T0, at(60), readings).map((m) => m.timepoint.minutes)).toEqual([60]);
	});

	it('the timepoint planned exactly at the end is asked about', () => {
		expect(missingAtEnd(tps, T0, at(30), [reading(-30)]).map((m) => m.timepoint.minutes)).toEqual([
			30
		]);
	});

	it('a not-done reading is never the baseline', () => {
		const notDone = reading(-30, { systolic: null, diastolic: null, notDone: 'refused' });
		const early = { ...reading(-30), takenAt: at(-45), id: 1 };
		expect(pickBaseline([early, notDone], T0)).toBe(early);
	});
});

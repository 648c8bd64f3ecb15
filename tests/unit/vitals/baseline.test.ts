import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lastValuesBefore, pickBaseline } from '../../../src/lib/domain/vitals';
import type { VitalsReading } from '../../../src/lib/domain/vitals';

const T0 = '2025-03-05T09:00:00Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

const readings: VitalsReading[] = [
	{ id: 'a', takenAt: at(-45), systolic: 118, diastolic: 76, heartRate: 70, temperature: 36.6 },
	{ id: 'b', takenAt: at(-30), systolic: 122, diastolic: 80, heartRate: 72 },
	{ id: 'c', takenAt: at(-5), systolic: 190, diastolic: 85, heartRate: 71, enteredInError: true },
	{ id: 'd', takenAt: at(0), systolic: 124, diastolic: 81, heartRate: 73 },
	{ id: 'e', takenAt: at(30), systolic: 150, diastolic: 95, heartRate: 98 }
];

describe('pickBaseline', () => {
	it('is the last reading before T0, skipping one entered in error', () => {
		expect(pickBaseline(readings, T0)?.id).toBe('b');
	});

	it('does not count a reading taken exactly at T0', () => {
		expect(pickBaseline(readings, at(0.5))?.id).toBe('d');
		expect(pickBaseline(readings, T0)?.id).not.toBe('d');
	});

	it('is undefined when nothing was taken before T0', () => {
		expect(pickBaseline(readings, at(-60))).toBeUndefined();
		expect(pickBaseline([], T0)).toBeUndefined();
	});

	it('with a measure, is the last reading that has it', () => {
		expect(pickBaseline(readings, T0, 'temperature')?.id).toBe('a');
	});

	it('gives per-measure values before a time', () => {
		expect(lastValuesBefore(readings, T0)).toEqual({
			systolic: 122,
			diastolic: 80,
			heartRate: 72,
			temperature: 36.6
		});
	});

	it('does not depend on the order of the readings (property)', () => {
		const reading = fc.record({
			minutes: fc.integer({ min: -120, max: 120 }),
			systolic: fc.option(fc.integer({ min: 50, max: 300 }), { nil: null }),
			temperature: fc.option(
				fc.integer({ min: 300, max: 450 }).map((t) => t / 10),
				{ nil: null }
			),
			enteredInError: fc.boolean()
		});
		const session = fc
			.array(reading, { maxLength: 12 })
			.map((rs) => rs.map((r, i): VitalsReading => ({ ...r, id: i, takenAt: at(r.minutes) })));
		const shuffled = session.chain((rs) =>
			fc.tuple(fc.constant(rs), fc.shuffledSubarray(rs, { minLength: rs.length }))
		);
		fc.assert(
			fc.property(shuffled, ([original, reordered]) => {
				expect(pickBaseline(reordered, T0)).toBe(pickBaseline(original, T0));
				expect(pickBaseline(reordered, T0, 'temperature')).toBe(
					pickBaseline(original, T0, 'temperature')
				);
			})
		);
	});

	it('is always before T0, in effect, and no in-effect reading before T0 is later (property)', () => {
		const session = fc.array(
			fc.record({ minutes: fc.integer({ min: -90, max: 90 }), enteredInError: fc.boolean() }),
			{ maxLength: 10 }
		);
		fc.assert(
			fc.property(session, (rs) => {
				const list = rs.map((r, i): VitalsReading => ({ ...r, id: i, takenAt: at(r.minutes) }));
				const picked = pickBaseline(list, T0);
				const candidates = rs.filter((r) => !r.enteredInError && r.minutes < 0);
				if (candidates.length === 0) {
					expect(picked).toBeUndefined();
					return;
				}
				const latest = Math.max(...candidates.map((r) => r.minutes));
				expect(picked?.enteredInError).toBe(false);
				expect(picked?.takenAt).toBe(at(latest));
			})
		);
	});
});

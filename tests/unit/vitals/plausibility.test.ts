import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPlausibility, PLAUSIBILITY_LIMITS } from '../../../src/lib/domain/vitals';
import type { VitalsEntry } from '../../../src/lib/domain/vitals';

function errorsOf(entry: VitalsEntry) {
	const result = checkPlausibility(entry);
	return result.ok ? {} : result.errors;
}

type WholeField = 'systolic' | 'diastolic' | 'heartRate';

// Each limit at the boundary, just inside it and just outside it: [value, accepted].
const BOUNDARIES: [number, boolean][] = [
	[0, true],
	[1, true],
	[-1, false]
];
function limitCases(field: WholeField, others: VitalsEntry) {
	const { min, max } = PLAUSIBILITY_LIMITS[field];
	return BOUNDARIES.flatMap(([step, accepted]) => [
		{ field, others, value: min + step, accepted },
		{ field, others, value: max - step, accepted }
	]);
}

describe('pressure and heart rate limits', () => {
	it('are SBP 50–300 mmHg, DBP 20–200 mmHg, HR 20–250 bpm', () => {
		expect(PLAUSIBILITY_LIMITS).toMatchObject({
			systolic: { min: 50, max: 300 },
			diastolic: { min: 20, max: 200 },
			heartRate: { min: 20, max: 250 }
		});
	});

	it.each([
		...limitCases('systolic', { diastolic: 30 }),
		...limitCases('diastolic', { systolic: 250 }),
		...limitCases('heartRate', {})
	])('$field $value accepted: $accepted', ({ field, others, value, accepted }) => {
		const errors = errorsOf({ ...others, [field]: value });
		expect(errors[field] === undefined).toBe(accepted);
		if (!accepted) expect(errors[field]).toMatch(field === 'heartRate' ? / bpm/ : / mmHg/);
	});
});

describe('temperature limits in °C', () => {
	it.each([
		[30.0, true],
		[30.1, true],
		[29.9, false],
		[45.0, true],
		[44.9, true],
		[45.1, false]
	])('%d °C accepted: %s', (value, accepted) => {
		const result = checkPlausibility({ temperature: value });
		expect(result.ok).toBe(accepted);
		if (!result.ok) {
			expect(result.errors.temperature).toBe(
				`Temperature must be 30.0–45.0 °C; ${value} °C was entered.`
			);
		}
	});

	it('stores °C rounded to 0.1', () => {
		const result = checkPlausibility({ temperature: 37.25 });
		expect(result.ok && result.values.temperature).toBe(37.3);
	});
});

describe('blood pressure as a pair', () => {
	it('refuses a diastolic equal to the systolic, on the diastolic field', () => {
		expect(errorsOf({ systolic: 120, diastolic: 120 })).toEqual({
			diastolic: 'Diastolic pressure (120 mmHg) must be below systolic (120 mmHg).'
		});
	});

	it('accepts a diastolic 1 mmHg below the systolic', () => {
		expect(checkPlausibility({ systolic: 120, diastolic: 119 }).ok).toBe(true);
	});

	it('asks for the other value when only one is entered', () => {
		expect(errorsOf({ systolic: 120 })).toEqual({
			diastolic: 'Enter the diastolic pressure too (mmHg).'
		});
		expect(errorsOf({ diastolic: 80, systolic: null })).toEqual({
			systolic: 'Enter the systolic pressure too (mmHg).'
		});
	});

	it('reports each out-of-range field, not the comparison, when both are wrong', () => {
		expect(Object.keys(errorsOf({ systolic: 40, diastolic: 250 })).sort()).toEqual([
			'diastolic',
			'systolic'
		]);
	});
});

describe('values that are not whole numbers', () => {
	it('refuses fractional pressures and heart rates with the unit in the message', () => {
		expect(errorsOf({ heartRate: 80.5 }).heartRate).toBe(
			'Enter heart rate as a whole number of bpm.'
		);
		expect(errorsOf({ systolic: Number.NaN, diastolic: 80 }).systolic).toBe(
			'Enter systolic pressure as a number of mmHg.'
		);
	});
});

describe('a full valid reading', () => {
	it('returns the values to store and null for what was not taken', () => {
		expect(checkPlausibility({ systolic: 128, diastolic: 82, heartRate: 74 })).toEqual({
			ok: true,
			values: { systolic: 128, diastolic: 82, heartRate: 74, temperature: null }
		});
	});

	it('accepts every whole heart rate in range and refuses every one outside (property)', () => {
		const { min, max } = PLAUSIBILITY_LIMITS.heartRate;
		fc.assert(
			fc.property(fc.integer({ min: -100, max: 500 }), (hr) => {
				expect(checkPlausibility({ heartRate: hr }).ok).toBe(hr >= min && hr <= max);
			})
		);
	});

	it('accepts any in-range pair with diastolic below systolic (property)', () => {
		fc.assert(
			fc.property(fc.integer({ min: 50, max: 300 }), fc.integer({ min: 20, max: 200 }), (s, d) => {
				expect(checkPlausibility({ systolic: s, diastolic: d }).ok).toBe(d < s);
			})
		);
	});
});

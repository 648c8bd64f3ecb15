import { describe, it, expect } from 'vitest';
import {
	baselineOf,
	isRemission,
	isResponse,
	percentChangeFromBaseline,
	sustained,
	sustainedAt
} from '../../../src/lib/domain/scales';

describe('percent change from baseline', () => {
	it('is negative when symptoms fall and positive when they rise', () => {
		expect(percentChangeFromBaseline(30, 15)).toBe(-50);
		expect(percentChangeFromBaseline(20, 25)).toBe(25);
		expect(percentChangeFromBaseline(29, 29)).toBe(0);
		expect(percentChangeFromBaseline(30, 0)).toBe(-100);
	});

	it('is null when baseline is 0', () => {
		expect(percentChangeFromBaseline(0, 0)).toBeNull();
		expect(percentChangeFromBaseline(0, 5)).toBeNull();
	});
});

describe('response (≥ 50 % below baseline)', () => {
	it.each([
		[30, 15, true],
		[30, 16, false],
		[30, 14, true],
		[29, 14, true],
		[29, 15, false],
		[31, 15, true],
		[31, 16, false],
		[1, 0, true],
		[20, 25, false]
	])('baseline %i, value %i → %s', (baseline, value, expected) => {
		expect(isResponse(baseline, value)).toBe(expected);
	});

	it('is undefined (null) with a baseline of 0', () => {
		expect(isResponse(0, 0)).toBeNull();
	});
});

describe('remission', () => {
	it.each([
		['MADRS', 10, true],
		['MADRS', 11, false],
		['HAMD17', 7, true],
		['HAMD17', 8, false],
		['QIDSSR16', 5, true],
		['QIDSSR16', 6, false],
		['PHQ9', 4, true],
		['PHQ9', 5, false],
		['BDI2', 13, true],
		['BDI2', 14, false]
	] as const)('%s total %i → %s', (id, total, expected) => {
		expect(isRemission(id, total)).toBe(expected);
	});

	it('takes a protocol threshold instead of the default (MADRS ≤ 12)', () => {
		expect(isRemission('MADRS', 12)).toBe(false);
		expect(isRemission('MADRS', 12, 12)).toBe(true);
		expect(isRemission('MADRS', 13, 12)).toBe(false);
	});

	it('refuses a total outside the instrument range', () => {
		expect(() => isRemission('PHQ9', 28)).toThrow(/0 to 27/);
		expect(() => isRemission('MADRS', -1)).toThrow(RangeError);
		expect(() => isRemission('MADRS', 4.5)).toThrow(RangeError);
	});
});

describe('sustained (two consecutive follow-up visits)', () => {
	it('needs two visits in a row', () => {
		expect(sustained([true, false, true, false, true])).toBe(false);
		expect(sustained([false, true, true])).toBe(true);
		expect(sustainedAt([false, true, false, true, true, true])).toBe(4);
	});

	it('is false for one visit or none', () => {
		expect(sustained([])).toBe(false);
		expect(sustained([true])).toBe(false);
	});

	it('is broken by a visit without a result', () => {
		expect(sustained([true, null, true])).toBe(false);
		expect(sustained([null, true, true])).toBe(true);
	});
});

describe('baseline (last value before first dose)', () => {
	const dose = '2025-03-10T09:00:00Z';

	it('takes the latest total before the first dose, in any order', () => {
		const series = [
			{ at: '2025-03-01', total: 31 },
			{ at: '2025-03-10T08:00:00Z', total: 28 },
			{ at: '2025-03-03', total: 33 },
			{ at: '2025-03-24', total: 12 }
		];
		expect(baselineOf(series, dose)).toBe(28);
	});

	it('ignores incomplete administrations and anything at or after the dose', () => {
		const series = [
			{ at: '2025-03-01', total: 31 },
			{ at: '2025-03-09', total: null },
			{ at: dose, total: 20 }
		];
		expect(baselineOf(series, dose)).toBe(31);
	});

	it('compares instants, not strings, across time zones', () => {
		// 08:30 at UTC−2 is 10:30 UTC: after the dose, though as text it sorts before it.
		const series = [
			{ at: '2025-03-10T07:00:00Z', total: 26 },
			{ at: '2025-03-10T08:30:00-02:00', total: 5 }
		];
		expect(baselineOf(series, dose)).toBe(26);
	});

	it('is null with nothing before the dose, and a baseline of 0 is kept', () => {
		expect(baselineOf([{ at: '2025-04-01', total: 9 }], dose)).toBeNull();
		expect(baselineOf([{ at: '2025-03-01', total: 0 }], dose)).toBe(0);
	});

	it('refuses a date it cannot read', () => {
		expect(() => baselineOf([{ at: 'last Tuesday', total: 9 }], dose)).toThrow(RangeError);
	});
});

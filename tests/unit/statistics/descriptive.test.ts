import { describe, expect, it } from 'vitest';
import {
	mean,
	meanOfMoments,
	momentsOf,
	percentChange,
	ratePer100,
	sampleSd,
	sampleSdOfMoments
} from '../../../src/lib/domain/statistics';

// The textbook sample 2, 4, 4, 4, 5, 5, 7, 9:
//   Σx = 40, n = 8, x̄ = 40 / 8 = 5
//   Σ(x − x̄)² = 9 + 1 + 1 + 1 + 0 + 0 + 4 + 16 = 32, s² = 32 / 7 = 4.571428…, s = 2.1380899…
//   Σx² = 4 + 16·3 + 25·2 + 49 + 81 = 232; (232 − 40² / 8) / 7 = (232 − 200) / 7 = 32 / 7 again.
const SAMPLE = [2, 4, 4, 4, 5, 5, 7, 9];

describe('mean and sample SD', () => {
	it('computes the textbook sample by hand', () => {
		expect(mean(SAMPLE)).toBe(5);
		expect(sampleSd(SAMPLE)).toBeCloseTo(2.1380899, 6);
	});

	it('gives the same from the sums SQL returns (n, Σx, Σx²)', () => {
		const m = momentsOf(SAMPLE);
		expect(m).toEqual({ n: 8, sum: 40, sumOfSquares: 232 });
		expect(meanOfMoments(m)).toBe(5);
		expect(sampleSdOfMoments(m)).toBeCloseTo(Math.sqrt(32 / 7), 12);
	});

	it('has no mean of nothing and no SD of one value', () => {
		expect(mean([])).toBeNull();
		expect(sampleSd([7])).toBeNull();
		expect(sampleSdOfMoments({ n: 1, sum: 7, sumOfSquares: 49 })).toBeNull();
	});

	it('reads a rounding-negative variance of identical values as 0', () => {
		// 0.1 + 0.1 + 0.1 is not exactly 0.3 in binary; the variance must still be 0, not NaN.
		expect(sampleSdOfMoments(momentsOf([0.1, 0.1, 0.1]))).toBeCloseTo(0, 7);
		expect(sampleSd([3, 3, 3])).toBe(0);
	});
});

describe('rates and changes', () => {
	it('per 100: 3 breaches in 40 sessions = 300 / 40 = 7.5 per 100 sessions', () => {
		expect(ratePer100(3, 40)).toBe(7.5);
		expect(ratePer100(0, 12)).toBe(0);
		expect(ratePer100(2, 0)).toBeNull();
	});

	it('percent change: 30 → 12 is (12 − 30) / 30 × 100 = −60 %; from 0 none', () => {
		expect(percentChange(30, 12)).toBe(-60);
		expect(percentChange(20, 25)).toBe(25);
		expect(percentChange(0, 5)).toBeNull();
	});
});

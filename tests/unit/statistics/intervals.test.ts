import { describe, expect, it } from 'vitest';
import {
	incidence,
	meanEstimate,
	meanEstimateOfMoments,
	proportion,
	wilsonInterval
} from '../../../src/lib/domain/statistics';

describe('95 % CI of a mean (Student t)', () => {
	it('computes the textbook sample by hand', () => {
		// 2, 4, 4, 4, 5, 5, 7, 9: x̄ = 5, s = √(32/7) = 2.1380899, n = 8, df = 7, t₀.₉₇₅,₇ = 2.364624
		// half-width = 2.364624 × 2.1380899 / √8 = 5.055781 / 2.8284271 = 1.787488
		// CI = 5 ∓ 1.787488 = [3.212512, 6.787488]
		const e = meanEstimate([2, 4, 4, 4, 5, 5, 7, 9]);
		expect(e.n).toBe(8);
		expect(e.mean).toBe(5);
		expect(e.ci!.lower).toBeCloseTo(3.212512, 5);
		expect(e.ci!.upper).toBeCloseTo(6.787488, 5);
	});

	it('uses t with 1 df for two values', () => {
		// 10, 12: x̄ = 11, s = √2, half-width = 12.706205 × √2 / √2 = 12.706205 → [−1.706205, 23.706205]
		const e = meanEstimate([10, 12]);
		expect(e.ci!.lower).toBeCloseTo(-1.706205, 6);
		expect(e.ci!.upper).toBeCloseTo(23.706205, 6);
	});

	it('MADRS changes −16, −20, −6, −24: mean −16.5, CI [−28.79, −4.21]', () => {
		// x̄ = −66 / 4 = −16.5; deviations 0.5, −3.5, 10.5, −7.5; squares 0.25 + 12.25 + 110.25 +
		// 56.25 = 179; s² = 179 / 3 = 59.6667, s = 7.724420; t₀.₉₇₅,₃ = 3.182446;
		// half = 3.182446 × 7.724420 / 2 = 12.291276 → [−28.791276, −4.208724]
		const e = meanEstimateOfMoments({ n: 4, sum: -66, sumOfSquares: 256 + 400 + 36 + 576 });
		expect(e.mean).toBe(-16.5);
		expect(e.sd).toBeCloseTo(7.72442, 5);
		expect(e.ci!.lower).toBeCloseTo(-28.791276, 5);
		expect(e.ci!.upper).toBeCloseTo(-4.208724, 5);
	});

	it('has a mean but no interval for one value, and nothing for none', () => {
		expect(meanEstimate([17])).toEqual({ n: 1, mean: 17, sd: null, ci: null });
		expect(meanEstimate([])).toEqual({ n: 0, mean: null, sd: null, ci: null });
	});
});

describe('Wilson 95 % interval of a proportion', () => {
	it('8 of 10', () => {
		// p = 0.8, z = 1.959964, z² = 3.841459, z²/n = 0.3841459, denominator 1.3841459
		// centre = (0.8 + 3.841459 / 20) / 1.3841459 = 0.9920729 / 1.3841459 = 0.716740
		// half = 1.959964 × √(0.16 / 10 + 3.841459 / 400) / 1.3841459
		//      = 1.959964 × √0.0256036 / 1.3841459 = 0.3136163 / 1.3841459 = 0.226578
		// → [0.490162, 0.943318]
		const ci = wilsonInterval(8, 10)!;
		expect(ci.lower).toBeCloseTo(0.490162, 5);
		expect(ci.upper).toBeCloseTo(0.943318, 5);
	});

	it('0 of 10 and 10 of 10 stay inside [0, 1]', () => {
		// 0/10: lower 0; upper = (z²/n) / (1 + z²/n) = 0.3841459 / 1.3841459 = 0.277533
		expect(wilsonInterval(0, 10)).toEqual({ lower: 0, upper: expect.closeTo(0.277533, 5) });
		// 10/10 mirrors it: [1 − 0.277533, 1]
		expect(wilsonInterval(10, 10)).toEqual({ lower: expect.closeTo(0.722467, 5), upper: 1 });
	});

	it('3 of 4', () => {
		// z²/n = 0.9603649; denominator 1.9603649; centre = (0.75 + 0.4801824) / 1.9603649 = 0.627527
		// half = 1.959964 × √(0.1875 / 4 + 3.841459 / 64) / 1.9603649
		//      = 1.959964 × √0.1068978 / 1.9603649 = 0.6408147 / 1.9603649 = 0.326886
		// → [0.300640, 0.954412]
		const ci = wilsonInterval(3, 4)!;
		expect(ci.lower).toBeCloseTo(0.30064, 5);
		expect(ci.upper).toBeCloseTo(0.954412, 5);
	});

	it('has no interval out of 0 and refuses impossible counts', () => {
		expect(wilsonInterval(0, 0)).toBeNull();
		expect(() => wilsonInterval(5, 4)).toThrow(RangeError);
		expect(() => wilsonInterval(-1, 4)).toThrow(RangeError);
		expect(() => wilsonInterval(1.5, 4)).toThrow(RangeError);
	});

	it('proportion and incidence report n/N, p and the interval', () => {
		expect(proportion(3, 4)).toMatchObject({ count: 3, of: 4, p: 0.75 });
		expect(incidence(2, 8)).toMatchObject({ count: 2, of: 8, p: 0.25 });
		expect(incidence(0, 0)).toEqual({ count: 0, of: 0, p: null, ci: null });
	});
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	mean,
	meanEstimate,
	meanEstimateOfMoments,
	momentsOf,
	sampleSd,
	sampleSdOfMoments,
	tCritical95,
	tQuantile,
	wilsonInterval
} from '../../../src/lib/domain/statistics';

/** Totals as a rating scale gives them (MADRS 0–60), and signed changes from baseline. */
const scores = fc.array(fc.integer({ min: -60, max: 60 }), { minLength: 0, maxLength: 200 });
const readings = fc.array(fc.double({ min: -500, max: 500, noNaN: true }), { maxLength: 100 });

describe('mean CI properties', () => {
	it('the interval contains the mean, symmetric about it, for every n ≥ 2', () => {
		fc.assert(
			fc.property(readings, (xs) => {
				const e = meanEstimate(xs);
				if (xs.length < 2) {
					expect(e.ci).toBeNull();
					return;
				}
				const { lower, upper } = e.ci!;
				expect(lower).toBeLessThanOrEqual(e.mean! + 1e-9);
				expect(upper).toBeGreaterThanOrEqual(e.mean! - 1e-9);
				expect(upper - e.mean!).toBeCloseTo(e.mean! - lower, 6);
			})
		);
	});

	it('n = 1 has a mean and no interval', () => {
		// (x + 0 turns −0 into 0: a sum of one value is never −0.)
		const value = fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => x + 0);
		fc.assert(
			fc.property(value, (x) => {
				expect(meanEstimate([x])).toEqual({ n: 1, mean: x, sd: null, ci: null });
			})
		);
	});

	it('the sums from SQL give the same mean and SD as the values (integer totals)', () => {
		fc.assert(
			fc.property(scores, (xs) => {
				const m = momentsOf(xs);
				expect(meanEstimateOfMoments(m).mean).toBe(mean(xs));
				const a = sampleSdOfMoments(m);
				const b = sampleSd(xs);
				if (b === null) expect(a).toBeNull();
				else expect(a).toBeCloseTo(b, 8);
			})
		);
	});

	it('the t critical value falls towards z = 1.96 as df grows, never below it', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 5000 }), (df) => {
				expect(tCritical95(df)).toBeGreaterThan(1.959963);
				expect(tCritical95(df + 1)).toBeLessThan(tCritical95(df));
			})
		);
	});

	it('t quantiles increase with p and are odd about ½', () => {
		const p = fc.double({ min: 0.001, max: 0.999, noNaN: true });
		fc.assert(
			fc.property(p, p, fc.integer({ min: 1, max: 400 }), (a, b, df) => {
				fc.pre(Math.abs(a - b) > 1e-6);
				const [lo, hi] = a < b ? [a, b] : [b, a];
				expect(tQuantile(lo, df)).toBeLessThan(tQuantile(hi, df));
				expect(tQuantile(1 - a, df)).toBeCloseTo(-tQuantile(a, df), 6);
			})
		);
	});
});

describe('Wilson interval properties', () => {
	const counts = fc
		.integer({ min: 1, max: 5000 })
		.chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n)));

	it('bounds lie within [0, 1] and contain p', () => {
		fc.assert(
			fc.property(counts, ([k, n]) => {
				const ci = wilsonInterval(k, n)!;
				const p = k / n;
				expect(ci.lower).toBeGreaterThanOrEqual(0);
				expect(ci.upper).toBeLessThanOrEqual(1);
				expect(ci.lower).toBeLessThanOrEqual(p);
				expect(ci.upper).toBeGreaterThanOrEqual(p);
			})
		);
	});

	it('k of n mirrors n − k of n', () => {
		fc.assert(
			fc.property(counts, ([k, n]) => {
				const a = wilsonInterval(k, n)!;
				const b = wilsonInterval(n - k, n)!;
				expect(a.lower).toBeCloseTo(1 - b.upper, 9);
				expect(a.upper).toBeCloseTo(1 - b.lower, 9);
			})
		);
	});
});

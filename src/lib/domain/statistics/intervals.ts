/**
 * Interval estimates: the 95 % confidence interval of a mean (Student's t) and of a proportion
 * (Wilson score interval).
 */
import { meanOfMoments, momentsOf, sampleSdOfMoments, type Moments } from './descriptive';
import { Z_95 } from './normal-quantile';
import { tCritical95 } from './t-quantile';

export interface Interval {
	lower: number;
	upper: number;
}

export interface MeanEstimate {
	n: number;
	mean: number | null;
	sd: number | null;
	/** 95 % CI; null when n < 2 (no spread to estimate from). */
	ci: Interval | null;
}

/** Mean, SD and 95 % CI x̄ ± t₀.₉₇₅,n−1 · s / √n (Student 1908; any statistics text). */
export function meanEstimateOfMoments(m: Moments): MeanEstimate {
	const mean = meanOfMoments(m);
	const sd = sampleSdOfMoments(m);
	if (mean === null || sd === null) return { n: m.n, mean, sd, ci: null };
	const half = (tCritical95(m.n - 1) * sd) / Math.sqrt(m.n);
	return { n: m.n, mean, sd, ci: { lower: mean - half, upper: mean + half } };
}

/** Mean, SD and 95 % CI of a sample (see meanEstimateOfMoments). */
export function meanEstimate(values: readonly number[]): MeanEstimate {
	return meanEstimateOfMoments(momentsOf(values));
}

/**
 * Wilson score interval (Wilson 1927, JASA 22:209; Newcombe 1998 method 3):
 * (p̂ + z²/2n ± z √(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n). Null when n = 0. Kept inside [0, 1]
 * against rounding; unlike the Wald interval it stays sensible at 0 / n and n / n.
 */
export function wilsonInterval(successes: number, n: number, z = Z_95): Interval | null {
	if (!Number.isInteger(n) || n < 0 || !Number.isInteger(successes)) {
		throw new RangeError('Counts must be whole numbers.');
	}
	if (successes < 0 || successes > n) throw new RangeError('Successes must be from 0 to n.');
	if (n === 0) return null;
	const p = successes / n;
	const z2 = z * z;
	const denominator = 1 + z2 / n;
	const centre = (p + z2 / (2 * n)) / denominator;
	const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
	return {
		lower: successes === 0 ? 0 : Math.max(0, centre - half),
		upper: successes === n ? 1 : Math.min(1, centre + half)
	};
}

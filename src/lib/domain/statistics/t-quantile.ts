/**
 * Quantiles of Student's t distribution. For the 95 % interval of a mean (the only use here) df
 * 1–30 come from the standard table; above that, and for any other probability, G. W. Hill's
 * approximation (Algorithm 396, Comm. ACM 13(10):617–619, 1970), as R's qt() starts from.
 *
 * Accuracy (against scipy.stats.t.ppf; see tests/unit/statistics): tCritical95 is exact to 6
 * decimals for every df (the table to df 30; Hill within 10⁻⁸ above it). Hill's approximation is
 * within 2 × 10⁻⁵ of the exact quantile for df ≥ 3 and 0.6 ≤ p ≤ 0.999 (worst near df 3–6 in the
 * far tail); df 1 and 2 use their closed forms; df = ∞ is the normal quantile.
 */
import { normalQuantile } from './normal-quantile';

/** t₀.₉₇₅,df for df = 1 … 30, to 6 decimals (e.g. NIST/SEMATECH e-Handbook §1.3.6.7.2). */
const T_975 = [
	12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624, 2.306004, 2.262157,
	2.228139, 2.200985, 2.178813, 2.160369, 2.144787, 2.13145, 2.119905, 2.109816, 2.100922, 2.093024,
	2.085963, 2.079614, 2.073873, 2.068658, 2.063899, 2.059539, 2.055529, 2.051831, 2.048407, 2.04523,
	2.042272
];

/** Hill (1970) for df > 2, given the two-sided tail probability tail = 2 · min(p, 1 − p). */
function hillUpper(tail: number, df: number): number {
	const a = 1 / (df - 0.5);
	const b = 48 / (a * a);
	let c = (((20700 * a) / b - 98) * a - 16) * a + 96.36;
	const d = ((94.5 / (b + c) - 3) / b + 1) * Math.sqrt((a * Math.PI) / 2) * df;
	let y = Math.pow(d * tail, 2 / df);
	if (y > 0.05 + a) {
		// Far from the tail: an asymptotic expansion about the normal quantile.
		const x = normalQuantile(0.5 * tail);
		y = x * x;
		if (df < 5) c += 0.3 * (df - 4.5) * (x + 0.6);
		c = (((0.05 * d * x - 5) * x - 7) * x - 2) * x + b + c;
		y = (((((0.4 * y + 6.3) * y + 36) * y + 94.5) / c - y - 3) / b + 1) * x;
		y = Math.expm1(a * y * y);
	} else {
		y =
			((1 / (((df + 6) / (df * y) - 0.089 * d - 0.822) * (df + 2) * 3) + 0.5 / (df + 4)) * y - 1) *
				((df + 1) / (df + 2)) +
			1 / y;
	}
	return Math.sqrt(df * y);
}

/** t such that P(T ≤ t) = p for Student's t with df degrees of freedom (df ≥ 1, or Infinity). */
export function tQuantile(p: number, df: number): number {
	if (!(p > 0 && p < 1)) throw new RangeError('The probability must lie strictly between 0 and 1.');
	if (!(df >= 1)) throw new RangeError('The degrees of freedom must be at least 1.');
	if (df === Infinity) return normalQuantile(p);
	if (p === 0.5) return 0;
	// Exact for df 1 (Cauchy: tan(π(p − ½))) and df 2 ((2p − 1) / √(2p(1 − p))).
	if (df === 1) return Math.tan(Math.PI * (p - 0.5));
	if (df === 2) return (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
	const upper = hillUpper(2 * Math.min(p, 1 - p), df);
	return p < 0.5 ? -upper : upper;
}

/** The two-sided 95 % critical value t₀.₉₇₅ for a whole number of degrees of freedom. */
export function tCritical95(df: number): number {
	if (!Number.isInteger(df) || df < 1) {
		throw new RangeError('The degrees of freedom must be a whole number, at least 1.');
	}
	return df <= T_975.length ? T_975[df - 1]! : tQuantile(0.975, df);
}

/**
 * Descriptive statistics of a sample: mean and sample standard deviation, from the values or from
 * their sufficient statistics (n, Σx, Σx²) as a SQL GROUP BY returns them.
 */

/** The sufficient statistics of a sample, as SQL's COUNT, SUM(x) and SUM(x * x) give them. */
export interface Moments {
	n: number;
	sum: number;
	sumOfSquares: number;
}

export function momentsOf(values: readonly number[]): Moments {
	let sum = 0;
	let sumOfSquares = 0;
	for (const x of values) {
		sum += x;
		sumOfSquares += x * x;
	}
	return { n: values.length, sum, sumOfSquares };
}

/** Arithmetic mean Σx / n; null for an empty sample. */
export function meanOfMoments(m: Moments): number | null {
	return m.n > 0 ? m.sum / m.n : null;
}

/**
 * Sample standard deviation with Bessel's correction, s² = (Σx² − (Σx)² / n) / (n − 1)
 * (the computational formula, e.g. NIST/SEMATECH e-Handbook §1.3.5.6); null when n < 2.
 * Rounding can leave a tiny negative variance for identical values: it is read as 0.
 */
export function sampleSdOfMoments(m: Moments): number | null {
	if (m.n < 2) return null;
	const variance = (m.sumOfSquares - (m.sum * m.sum) / m.n) / (m.n - 1);
	return Math.sqrt(Math.max(0, variance));
}

/** Arithmetic mean; null for an empty list. */
export function mean(values: readonly number[]): number | null {
	return meanOfMoments(momentsOf(values));
}

/**
 * Sample standard deviation, s = √(Σ(x − x̄)² / (n − 1)) (Bessel's correction; NIST/SEMATECH
 * e-Handbook §1.3.5.6), by the two-pass formula for accuracy; null when n < 2.
 */
export function sampleSd(values: readonly number[]): number | null {
	const n = values.length;
	const m = mean(values);
	if (m === null || n < 2) return null;
	let squares = 0;
	for (const x of values) squares += (x - m) * (x - m);
	return Math.sqrt(squares / (n - 1));
}

import { describe, expect, it } from 'vitest';
import { normalQuantile, tCritical95, tQuantile, Z_95 } from '../../../src/lib/domain/statistics';

// Reference values: standard t and normal tables (NIST/SEMATECH e-Handbook §1.3.6.7.1–2),
// to 6 decimals as scipy.stats.t.ppf / norm.ppf give them.
const T_975: Array<[number, number]> = [
	[1, 12.706205],
	[2, 4.302653],
	[3, 3.182446],
	[7, 2.364624],
	[10, 2.228139],
	[30, 2.042272],
	[31, 2.039513],
	[40, 2.021075],
	[60, 2.000298],
	[120, 1.97993],
	[1000, 1.962339]
];

describe('t quantile', () => {
	it.each(T_975)('t₀.₉₇₅ with %i df is %f', (df, expected) => {
		expect(tCritical95(df)).toBeCloseTo(expected, 6);
		expect(tQuantile(0.975, df)).toBeCloseTo(expected, 4);
	});

	it('Hill (1970) is within 2 × 10⁻⁵ in the tails for small df', () => {
		// t₀.₉₉₅,₅ = 4.032143, t₀.₉₉,₄ = 3.746947, t₀.₉₅,₃ = 2.353363, t₀.₉₉₉,₆ = 5.207626
		expect(Math.abs(tQuantile(0.995, 5) - 4.032143)).toBeLessThan(2e-5);
		expect(Math.abs(tQuantile(0.99, 4) - 3.746947)).toBeLessThan(2e-5);
		expect(Math.abs(tQuantile(0.95, 3) - 2.353363)).toBeLessThan(2e-5);
		expect(Math.abs(tQuantile(0.999, 6) - 5.207626)).toBeLessThan(2e-5);
	});

	it('is exact for 1 and 2 df, symmetric, and normal at infinity', () => {
		// df 1: tan(π · 0.25) = 1 at p = 0.75; df 2: (2·0.9 − 1) / √(2·0.9·0.1) = 0.8 / 0.424264 = 1.885618
		expect(tQuantile(0.75, 1)).toBeCloseTo(1, 12);
		expect(tQuantile(0.9, 2)).toBeCloseTo(1.885618, 6);
		expect(tQuantile(0.025, 12)).toBeCloseTo(-tQuantile(0.975, 12), 12);
		expect(tQuantile(0.5, 9)).toBe(0);
		expect(tQuantile(0.975, Infinity)).toBeCloseTo(1.959964, 6);
	});

	it('refuses what has no quantile', () => {
		expect(() => tQuantile(1, 5)).toThrow(RangeError);
		expect(() => tQuantile(0.975, 0.5)).toThrow(RangeError);
		expect(() => tCritical95(0)).toThrow(RangeError);
		expect(() => tCritical95(2.5)).toThrow(RangeError);
	});
});

describe('normal quantile (Acklam)', () => {
	it.each([
		[0.975, 1.959964],
		[0.5, 0],
		[0.841345, 1.0],
		[0.01, -2.326348],
		[0.999, 3.090232]
	])('z at %f is %f', (p, z) => {
		expect(normalQuantile(p)).toBeCloseTo(z, 5);
	});

	it('agrees with the double-precision z₀.₉₇₅ to 10⁻⁸', () => {
		expect(Math.abs(normalQuantile(0.975) - Z_95)).toBeLessThan(1e-8);
	});
});

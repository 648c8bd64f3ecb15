/**
 * Outcomes over a participant's totals on one instrument (DOMAIN.md §2, rules of scoring):
 * response = total at least 50 % below baseline [S]; remission = total at or under the
 * instrument's threshold [S/D]; sustained = the criterion met at two consecutive follow-up
 * visits [D]; baseline = the last total before the first dose, with no percent change from 0.
 */
import { numericInstrument } from './instruments';
import type { NumericScaleId } from './types';

/** One administration's total on a date-time (ISO 8601; a bare date is midnight UTC). */
export type ScorePoint = { readonly at: string; readonly total: number | null };

/** Response: a reduction of at least this fraction from baseline (DOMAIN.md §2) [S]. */
export const responseReduction = 0.5;

/** Change from baseline in percent (negative = fewer symptoms); null when baseline is 0. */
export function percentChangeFromBaseline(baseline: number, value: number): number | null {
	if (baseline === 0) return null;
	return ((value - baseline) / baseline) * 100;
}

/** Whether `value` is at least 50 % below `baseline`; null when baseline is 0 (no change defined). */
export function isResponse(baseline: number, value: number): boolean | null {
	if (baseline === 0) return null;
	// Compared as value ≤ baseline × (1 − 0.5) in whole numbers: 2 × value ≤ baseline.
	return value * 2 <= baseline;
}

/** The instrument's default remission threshold: remission is total ≤ this. */
export function remissionThreshold(id: NumericScaleId): number {
	return numericInstrument(id).remission.maxTotal;
}

/**
 * Remission: total ≤ the instrument's threshold, or ≤ `maxTotalOverride` when the protocol sets
 * one (e.g. MADRS ≤ 12). PHQ-9's "< 5" is stored as ≤ 4.
 */
export function isRemission(id: NumericScaleId, total: number, maxTotalOverride?: number): boolean {
	const { totalRange } = numericInstrument(id);
	if (!Number.isInteger(total) || total < totalRange.min || total > totalRange.max) {
		throw new RangeError(
			`${id} total must be a whole number from ${totalRange.min} to ${totalRange.max}.`
		);
	}
	return total <= (maxTotalOverride ?? remissionThreshold(id));
}

/**
 * The index of the visit at which a criterion becomes sustained: the second of the first two
 * consecutive follow-up visits that meet it. `series` is in visit order; null marks a visit
 * without a result (missed or incomplete), which breaks a run because the criterion cannot be
 * shown to have held there. Returns null when never sustained.
 */
export function sustainedAt(series: readonly (boolean | null)[]): number | null {
	for (let i = 1; i < series.length; i++) {
		if (series[i] === true && series[i - 1] === true) return i;
	}
	return null;
}

/** Whether a criterion is met at two consecutive follow-up visits (see `sustainedAt`). */
export function sustained(series: readonly (boolean | null)[]): boolean {
	return sustainedAt(series) !== null;
}

function instant(text: string): number {
	const ms = Date.parse(text);
	if (Number.isNaN(ms)) throw new RangeError(`Not an ISO 8601 date-time: ${text}`);
	return ms;
}

/**
 * Baseline: the total of the latest complete administration strictly before the first dose
 * (on a tie in time, the later one in `series`); null when there is none.
 */
export function baselineOf(series: readonly ScorePoint[], firstDoseAt: string): number | null {
	const dose = instant(firstDoseAt);
	let best: { at: number; total: number } | null = null;
	for (const point of series) {
		if (point.total === null) continue;
		const at = instant(point.at);
		if (at < dose && (best === null || at >= best.at)) best = { at, total: point.total };
	}
	return best?.total ?? null;
}

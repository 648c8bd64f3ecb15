import { VITAL_MEASURES } from '../protocol/codes';
import type { VitalMeasure } from '../protocol/codes';
import { hasMeasure, isInEffect } from './reading';
import type { VitalsReading } from './reading';
import { toMillis, withTimesParsed } from './time';
import type { Instant } from './time';

/** Deterministic order for readings taken at the same moment, so input order never matters. */
function tieKey(reading: VitalsReading): string {
	const values = VITAL_MEASURES.map((m) => reading[m] ?? '');
	return [String(reading.id ?? ''), ...values].join('|');
}

/**
 * The last reading taken strictly before `before` that is not entered in error — with `measure`,
 * the last one that has that measure. With `before` = T0 this is the session's pre-dose baseline
 * (DOMAIN.md §1: baseline = the last reading before T0 of that session).
 */
export function pickBaseline<R extends VitalsReading>(
	readings: readonly R[],
	before: Instant,
	measure?: VitalMeasure
): R | undefined {
	const cutoff = toMillis(before);
	let best: R | undefined;
	let bestMs = 0;
	// Each time parsed once and the tie key built only on a tie: a save runs this per measure.
	let bestKey: string | undefined;
	for (const reading of readings) {
		if (!isInEffect(reading) || reading.notDone) continue;
		const ms = toMillis(reading.takenAt);
		if (ms >= cutoff) continue;
		if (measure && !hasMeasure(reading, measure)) continue;
		if (best && ms === bestMs) {
			const key = tieKey(reading);
			if (key <= (bestKey ??= tieKey(best))) continue;
			best = reading;
			bestKey = key;
		} else if (!best || ms > bestMs) {
			best = reading;
			bestMs = ms;
			bestKey = undefined;
		}
	}
	return best;
}

/**
 * Per measure, the last value taken before `before` (entered-in-error readings ignored). Before T0
 * that is the baseline of each measure; before a new reading, the values it is compared with.
 */
export function lastValuesBefore(
	readings: readonly VitalsReading[],
	before: Instant
): Partial<Record<VitalMeasure, number>> {
	const values: Partial<Record<VitalMeasure, number>> = {};
	// Each time parsed once for the four measures' passes.
	readings = withTimesParsed(readings);
	for (const measure of VITAL_MEASURES) {
		const value = pickBaseline(readings, before, measure)?.[measure];
		if (value !== null && value !== undefined) values[measure] = value;
	}
	return values;
}

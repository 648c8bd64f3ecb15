import { VITAL_MEASURES } from '../protocol/codes';
import type { VitalMeasure } from '../protocol/codes';
import { hasMeasure, isInEffect } from './reading';
import type { VitalsReading } from './reading';
import { toMillis } from './time';
import type { Instant } from './time';

/** Deterministic order for readings taken at the same moment, so input order never matters. */
function tieKey(reading: VitalsReading): string {
	const values = VITAL_MEASURES.map((m) => reading[m] ?? '');
	return [String(reading.id ?? ''), ...values].join('|');
}

function isLater(a: VitalsReading, b: VitalsReading): boolean {
	const diff = toMillis(a.takenAt) - toMillis(b.takenAt);
	return diff !== 0 ? diff > 0 : tieKey(a) > tieKey(b);
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
	for (const reading of readings) {
		if (!isInEffect(reading) || reading.notDone || toMillis(reading.takenAt) >= cutoff) continue;
		if (measure && !hasMeasure(reading, measure)) continue;
		if (!best || isLater(reading, best)) best = reading;
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
	for (const measure of VITAL_MEASURES) {
		const value = pickBaseline(readings, before, measure)?.[measure];
		if (value !== null && value !== undefined) values[measure] = value;
	}
	return values;
}

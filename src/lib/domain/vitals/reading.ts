import type { VitalMeasure } from '../protocol/codes';
import type { Instant } from './time';

/**
 * One saved set of vital signs in a dosing session, as the rules see it. Values are in mmHg, bpm
 * and °C; a measure not taken is null or left out.
 */
export interface VitalsReading {
	id?: string | number;
	/** When the reading was actually taken (not when it was typed). */
	takenAt: Instant;
	systolic?: number | null;
	diastolic?: number | null;
	heartRate?: number | null;
	temperature?: number | null;
	/** VSTPTNUM of the scheduled timepoint it answers; null for an unscheduled recheck; left out to
	 * match it to the nearest timepoint. */
	timepointNumber?: number | null;
	/** Struck through by a correction: kept for the audit trail, ignored by every rule. */
	enteredInError?: boolean;
	/** Recorded as not done (SDTM VSSTAT = NOT DONE), with this reason (VSREASND); no values. */
	notDone?: string | null;
}

export function hasMeasure(reading: VitalsReading, measure: VitalMeasure): boolean {
	const value = reading[measure];
	return value !== null && value !== undefined;
}

export function isInEffect(reading: VitalsReading): boolean {
	return reading.enteredInError !== true;
}

/** The measure columns of a stored reading (mmHg, bpm, °C), as every table of readings names them. */
export interface StoredMeasures {
	systolic: number | null;
	diastolic: number | null;
	heart_rate: number | null;
	temperature_c: number | null;
}

/** Each measure's stored column: the one place the two namings meet (measuresOf reads by it). */
export const MEASURE_COLUMNS = {
	systolic: 'systolic',
	diastolic: 'diastolic',
	heartRate: 'heart_rate',
	temperature: 'temperature_c'
} as const satisfies Record<VitalMeasure, keyof StoredMeasures>;

/** A stored reading's measures under the domain's names (MEASURE_COLUMNS). */
export function measuresOf(r: StoredMeasures): Record<VitalMeasure, number | null> {
	return {
		systolic: r[MEASURE_COLUMNS.systolic],
		diastolic: r[MEASURE_COLUMNS.diastolic],
		heartRate: r[MEASURE_COLUMNS.heartRate],
		temperature: r[MEASURE_COLUMNS.temperature]
	};
}

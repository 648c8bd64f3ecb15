import { VITAL_LABELS, VITAL_UNITS } from '../protocol/codes';
import type { VitalMeasure } from '../protocol/codes';
import { celsiusToFahrenheit, fahrenheitToCelsius, formatTenth, roundToTenth } from './temperature';
import type { TemperatureUnit } from './temperature';

/** DOMAIN.md §1 plausibility: values outside these are typing errors, refused outright. */
export const PLAUSIBILITY_LIMITS: Record<VitalMeasure, { min: number; max: number }> = {
	systolic: { min: 50, max: 300 }, // mmHg
	diastolic: { min: 20, max: 200 }, // mmHg, and below systolic
	heartRate: { min: 20, max: 250 }, // bpm
	temperature: { min: 30.0, max: 45.0 } // °C, after converting from °F
};

/** What a nurse typed. Empty fields are null or left out; temperature is in `temperatureUnit`. */
export interface VitalsEntry {
	systolic?: number | null;
	diastolic?: number | null;
	heartRate?: number | null;
	temperature?: number | null;
	/** Unit of `temperature` as typed; °C when left out. */
	temperatureUnit?: TemperatureUnit;
}

/** Values to store: pressures in mmHg, heart rate in bpm, temperature in °C to 0.1. */
export type VitalsValues = Record<VitalMeasure, number | null>;
export type VitalsFieldErrors = Partial<Record<VitalMeasure, string>>;
export type PlausibilityResult =
	{ ok: true; values: VitalsValues } | { ok: false; errors: VitalsFieldErrors };

type WholeMeasure = 'systolic' | 'diastolic' | 'heartRate';

/** A pressure or heart rate: a whole number within its limits. */
function checkWhole(field: WholeMeasure, value: number): string | undefined {
	const { min, max } = PLAUSIBILITY_LIMITS[field];
	const unit = VITAL_UNITS[field];
	const name = VITAL_LABELS[field];
	if (!Number.isFinite(value)) return `Enter ${name.toLowerCase()} as a number of ${unit}.`;
	if (!Number.isInteger(value)) return `Enter ${name.toLowerCase()} as a whole number of ${unit}.`;
	if (value < min || value > max) {
		return `${name} must be ${min}–${max} ${unit}; ${value} ${unit} was entered.`;
	}
	return undefined;
}

function temperatureRangeMessage(typed: number, unit: TemperatureUnit, celsius: number): string {
	const { min, max } = PLAUSIBILITY_LIMITS.temperature;
	const range = `${formatTenth(min)}–${formatTenth(max)} °C`;
	if (unit === 'C') return `Temperature must be ${range}; ${typed} °C was entered.`;
	const rangeF = `${formatTenth(celsiusToFahrenheit(min))}–${formatTenth(celsiusToFahrenheit(max))} °F`;
	return `Temperature must be ${range} (${rangeF}); ${typed} °F (${formatTenth(celsius)} °C) was entered.`;
}

/** When a value out of range fits the other unit: " 98.6 looks like °F: type 98.6F or choose °F." */
export function otherUnitHint(typed: number, unit: TemperatureUnit): string {
	const other: TemperatureUnit = unit === 'C' ? 'F' : 'C';
	const celsius = other === 'F' ? fahrenheitToCelsius(typed) : roundToTenth(typed);
	const { min, max } = PLAUSIBILITY_LIMITS.temperature;
	if (!Number.isFinite(celsius) || celsius < min || celsius > max) return '';
	return ` ${typed} looks like °${other}: type ${typed}${other} or choose °${other}.`;
}

/** A temperature in °C or °F: converted to °C, rounded to 0.1, then checked against the limits. */
function checkTemperature(
	typed: number,
	unit: TemperatureUnit
): { celsius: number } | { error: string } {
	if (!Number.isFinite(typed)) return { error: `Enter the temperature as a number of °${unit}.` };
	const celsius = unit === 'F' ? fahrenheitToCelsius(typed) : roundToTenth(typed);
	const { min, max } = PLAUSIBILITY_LIMITS.temperature;
	if (celsius < min || celsius > max) {
		return { error: temperatureRangeMessage(typed, unit, celsius) + otherUnitHint(typed, unit) };
	}
	return { celsius };
}

/** Blood pressure is a pair: one value without the other is an incomplete entry. */
function checkPressurePair(entry: VitalsEntry, errors: VitalsFieldErrors): void {
	const { systolic, diastolic } = entry;
	if (systolic != null && diastolic == null) {
		errors.diastolic = 'Enter the diastolic pressure too (mmHg).';
	} else if (diastolic != null && systolic == null) {
		errors.systolic = 'Enter the systolic pressure too (mmHg).';
	} else if (systolic != null && diastolic != null && !errors.systolic && !errors.diastolic) {
		if (diastolic >= systolic) {
			errors.diastolic = `Diastolic pressure (${diastolic} mmHg) must be below systolic (${systolic} mmHg).`;
		}
	}
}

/**
 * Hard plausibility limits (DOMAIN.md §1): SBP 50–300 mmHg, DBP 20–200 mmHg and below SBP,
 * HR 20–250 bpm, temperature 30.0–45.0 °C. Returns the values to store, or one message per field.
 */
export function checkPlausibility(entry: VitalsEntry): PlausibilityResult {
	const errors: VitalsFieldErrors = {};
	const values: VitalsValues = {
		systolic: null,
		diastolic: null,
		heartRate: null,
		temperature: null
	};
	for (const field of ['systolic', 'diastolic', 'heartRate'] as const) {
		const value = entry[field];
		if (value == null) continue;
		const error = checkWhole(field, value);
		if (error) errors[field] = error;
		else values[field] = value;
	}
	checkPressurePair(entry, errors);
	if (entry.temperature != null) {
		const checked = checkTemperature(entry.temperature, entry.temperatureUnit ?? 'C');
		if ('error' in checked) errors.temperature = checked.error;
		else values.temperature = checked.celsius;
	}
	return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, values };
}

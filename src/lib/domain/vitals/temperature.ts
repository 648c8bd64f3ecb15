// Temperatures are stored in °C to one decimal (SDTM VSORRESU "C"); a site may type °F.

export const TEMPERATURE_UNITS = ['C', 'F'] as const;
export type TemperatureUnit = (typeof TEMPERATURE_UNITS)[number];

/** Rounds to one decimal, half away from zero, without 36.95 → 36.9 float surprises. */
export function roundToTenth(value: number): number {
	const scaled = Math.round(Math.abs(value) * 10 + 1e-9) / 10;
	return value < 0 ? -scaled : scaled;
}

/** °F → °C rounded to 0.1: 98.6 → 37.0. */
export function fahrenheitToCelsius(fahrenheit: number): number {
	return roundToTenth(((fahrenheit - 32) * 5) / 9);
}

/** °C → °F rounded to 0.1: 37.0 → 98.6. */
export function celsiusToFahrenheit(celsius: number): number {
	return roundToTenth((celsius * 9) / 5 + 32);
}

/** One decimal, as people write a temperature: 37 → "37.0". */
export function formatTenth(value: number): string {
	return value.toFixed(1);
}

/** The temperature as typed, value and unit: "100.4 F"; null when none was typed. */
export function enteredTemperature(
	value: number | null,
	unit: TemperatureUnit | null
): string | null {
	return value === null || unit === null ? null : `${value} ${unit}`;
}

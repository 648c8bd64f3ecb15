import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	celsiusToFahrenheit,
	checkPlausibility,
	fahrenheitToCelsius
} from '../../../src/lib/domain/vitals';

describe('°F → °C', () => {
	it.each([
		[98.6, 37.0],
		[100.4, 38.0],
		[32, 0],
		[212, 100],
		[86.0, 30.0],
		[113.0, 45.0],
		[102.2, 39.0]
	])('%d °F is %d °C', (f, c) => {
		expect(fahrenheitToCelsius(f)).toBe(c);
	});

	it('rounds to 0.1 °C', () => {
		expect(fahrenheitToCelsius(99.5)).toBe(37.5);
		expect(fahrenheitToCelsius(101)).toBe(38.3);
	});

	it('gets every 0.1 °C back after a round trip through °F (property)', () => {
		fc.assert(
			fc.property(fc.integer({ min: 300, max: 450 }), (tenths) => {
				const c = tenths / 10;
				expect(fahrenheitToCelsius(celsiusToFahrenheit(c))).toBe(c);
			})
		);
	});
});

describe('temperature typed in °F', () => {
	it('stores 98.6 °F as 37.0 °C', () => {
		const result = checkPlausibility({ temperature: 98.6, temperatureUnit: 'F' });
		expect(result).toEqual({
			ok: true,
			values: { systolic: null, diastolic: null, heartRate: null, temperature: 37 }
		});
	});

	it.each([
		[86.0, true],
		[85.9, false],
		[113.0, true],
		[113.1, false]
	])('checks the limits after conversion: %d °F accepted: %s', (f, accepted) => {
		expect(checkPlausibility({ temperature: f, temperatureUnit: 'F' }).ok).toBe(accepted);
	});

	it('names the °F value that was typed when refusing it', () => {
		const result = checkPlausibility({ temperature: 120, temperatureUnit: 'F' });
		expect(result.ok ? undefined : result.errors.temperature).toBe(
			'Temperature must be 30.0–45.0 °C (86.0–113.0 °F); 120 °F (48.9 °C) was entered.'
		);
	});

	it('catches a °F value typed as °C', () => {
		const result = checkPlausibility({ temperature: 98.6 });
		expect(result.ok ? undefined : result.errors.temperature).toBe(
			'Temperature must be 30.0–45.0 °C; 98.6 °C was entered. 98.6 looks like °F: type 98.6F or choose °F.'
		);
	});
});

import { describe, expect, it } from 'vitest';
import { checkPlausibility } from '../../../src/lib/domain/vitals';
import { vitalsEntryInput } from '../../../src/lib/schemas/vitals';

describe('a temperature typed with its unit', () => {
	it.each([
		['98.6F', 98.6, 'F'],
		['98.6 F', 98.6, 'F'],
		['98.6 °F', 98.6, 'F'],
		['37C', 37, 'C'],
		['37,2 °c', 37.2, 'C']
	])('%s is %d °%s, whatever the unit select says', (typed, value, unit) => {
		const v = vitalsEntryInput.parse({ timepoint: '30', temperature: typed, temperatureUnit: 'C' });
		expect([v.temperature, v.temperatureUnit]).toEqual([value, unit]);
		const w = vitalsEntryInput.parse({ timepoint: '30', temperature: typed, temperatureUnit: 'F' });
		expect(w.temperatureUnit).toBe(unit);
	});

	it('a plain number keeps the chosen unit; nonsense is still refused', () => {
		expect(
			vitalsEntryInput.parse({ timepoint: '30', temperature: '37.1', temperatureUnit: 'F' })
				.temperatureUnit
		).toBe('F');
		expect(vitalsEntryInput.safeParse({ timepoint: '30', temperature: '98.6X' }).success).toBe(
			false
		);
	});

	it('an empty time is allowed: the service takes the moment of saving', () => {
		expect(vitalsEntryInput.parse({ timepoint: '30', takenAt: '' }).takenAt).toBe('');
		expect(vitalsEntryInput.parse({ timepoint: '30' }).takenAt).toBe('');
	});
});

describe('a value that fits the other unit says so', () => {
	it('98.6 as °C: "98.6 looks like °F"', () => {
		const r = checkPlausibility({ temperature: 98.6, temperatureUnit: 'C' });
		expect(!r.ok && r.errors.temperature).toBe(
			'Temperature must be 30.0–45.0 °C; 98.6 °C was entered. 98.6 looks like °F: type 98.6F or choose °F.'
		);
	});

	it('37 as °F: "37 looks like °C"', () => {
		const r = checkPlausibility({ temperature: 37, temperatureUnit: 'F' });
		expect(!r.ok && r.errors.temperature).toContain('37 looks like °C: type 37C or choose °C.');
	});

	it('a value that fits neither unit gets no hint', () => {
		const r = checkPlausibility({ temperature: 250, temperatureUnit: 'C' });
		expect(!r.ok && r.errors.temperature).not.toContain('looks like');
	});
});

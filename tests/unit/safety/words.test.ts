import { describe, expect, it } from 'vitest';
import { evaluateSessionVitals } from '../../../src/lib/domain/safety';
import { at, onlyBands, reading, session } from './fixtures';

const message = (values: Parameters<typeof reading>[2]) =>
	evaluateSessionVitals(session([reading(1, 60, values)]), onlyBands(), at(60)).map(
		(f) => f.message
	);

describe('band messages', () => {
	it('says SBP 172 in the words of the example', () => {
		expect(message({ systolic: 172 })).toEqual([
			'Systolic 172 mmHg is at or above 160: action. Inform the study physician; recheck within ' +
				'15 minutes; hold the supplemental dose.'
		]);
	});

	it('says "above" for a strict threshold and names the unit', () => {
		expect(message({ heartRate: 131 })).toEqual([
			'Heart rate 131 bpm is above 130: urgent. Call the study physician now and stay with the ' +
				'participant; follow the site emergency procedure; do not give the supplemental dose.'
		]);
		expect(message({ temperature: 37.8 })).toEqual([
			'Temperature 37.8 °C is at or above 37.8: notify. Recheck within 15 minutes.'
		]);
	});

	it('says "below" on the low side', () => {
		expect(message({ diastolic: 45 })).toEqual([
			'Diastolic 45 mmHg is below 50: notify. Recheck within 15 minutes.'
		]);
	});

	it('uses the instruction the protocol writes for the level', () => {
		const rules = onlyBands();
		rules.messages.action = 'Page the on-call physician.';
		const flags = evaluateSessionVitals(
			session([reading(1, 60, { systolic: 172 })]),
			rules,
			at(60)
		);
		expect(flags.map((f) => f.message)).toEqual([
			'Systolic 172 mmHg is at or above 160: action. Page the on-call physician.'
		]);
	});
});

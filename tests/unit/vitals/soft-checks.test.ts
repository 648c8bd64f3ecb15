import { describe, expect, it } from 'vitest';
import { DEFAULT_SOFT_CHECKS } from '../../../src/lib/domain/protocol';
import { softCheckWarnings } from '../../../src/lib/domain/vitals';

describe('soft checks before saving', () => {
	it('defaults: systolic 60 mmHg, diastolic 40 mmHg, heart rate 50 bpm, temperature 1.5 °C', () => {
		expect(DEFAULT_SOFT_CHECKS).toEqual({
			systolic: 60,
			diastolic: 40,
			heartRate: 50,
			temperature: 1.5
		});
	});

	it('warns when systolic jumps more than 60 mmHg from the previous reading', () => {
		expect(softCheckWarnings({ systolic: 181 }, { systolic: 120 })).toEqual({
			systolic:
				'Systolic pressure rose by 61 mmHg since the previous reading (120 → 181 mmHg). ' +
				'Check the value and confirm it.'
		});
	});

	it('does not warn at exactly the setting', () => {
		expect(softCheckWarnings({ systolic: 180 }, { systolic: 120 })).toEqual({});
	});

	it('warns on falls too', () => {
		expect(softCheckWarnings({ heartRate: 49 }, { heartRate: 100 }).heartRate).toMatch(
			/^Heart rate fell by 51 bpm/
		);
	});

	it('warns on a temperature change over 1.5 °C but not at 1.5 °C', () => {
		expect(softCheckWarnings({ temperature: 38.2 }, { temperature: 36.7 })).toEqual({});
		expect(softCheckWarnings({ temperature: 38.3 }, { temperature: 36.7 }).temperature).toMatch(
			/rose by 1\.6 °C/
		);
	});

	it('checks each measure on its own and skips measures with no previous value', () => {
		const warnings = softCheckWarnings(
			{ systolic: 200, diastolic: 130, heartRate: 80, temperature: 37 },
			{ systolic: 130, diastolic: 85 }
		);
		expect(Object.keys(warnings).sort()).toEqual(['diastolic', 'systolic']);
	});

	it('uses the protocol setting when given', () => {
		const settings = { ...DEFAULT_SOFT_CHECKS, systolic: 30 };
		expect(
			softCheckWarnings({ systolic: 151 }, { systolic: 120 }, settings).systolic
		).toBeDefined();
	});
});

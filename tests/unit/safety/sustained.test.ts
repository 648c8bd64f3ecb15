import { describe, expect, it } from 'vitest';
import type { SafetyRules } from '../../../src/lib/domain/protocol';
import { evaluateSessionVitals } from '../../../src/lib/domain/safety';
import { at, demoRules, reading, session, type Reading } from './fixtures';

// DOMAIN.md §1: an action-level value on two consecutive readings ≥ 15 min apart → urgent.
const ACTION_SBP = 165; // ≥ 160
const NOTIFY_SBP = 150; // ≥ 140, < 160

function sustained(readings: Reading[], rules: SafetyRules = demoRules()) {
	return evaluateSessionVitals(session(readings), rules, at(600)).filter(
		(f) => f.ruleId === 'vitals.sustained'
	);
}

describe('sustained action-level values', () => {
	it('raises urgent for two action-level readings 15 minutes apart, on the second', () => {
		const flags = sustained([
			reading(1, 60, { systolic: ACTION_SBP }),
			reading(2, 75, { systolic: ACTION_SBP })
		]);
		expect(flags).toHaveLength(1);
		expect(flags[0]).toMatchObject({
			level: 'urgent',
			sourceType: 'vital_reading',
			sourceId: 2,
			values: { measure: 'systolic', readings: 2, minutes: 15 }
		});
	});

	it('raises nothing for two action-level readings 14 minutes apart', () => {
		expect(
			sustained([
				reading(1, 60, { systolic: ACTION_SBP }),
				reading(2, 74, { systolic: ACTION_SBP })
			])
		).toEqual([]);
		// 14 minutes 59 seconds is still short of 15.
		expect(
			sustained([
				reading(1, 60, { systolic: ACTION_SBP }),
				reading(2, 60 + 14 + 59 / 60, { systolic: ACTION_SBP })
			])
		).toEqual([]);
	});

	it('raises nothing when a normal reading interrupts the run', () => {
		expect(
			sustained([
				reading(1, 60, { systolic: ACTION_SBP }),
				reading(2, 70, { systolic: 120 }),
				reading(3, 90, { systolic: ACTION_SBP })
			])
		).toEqual([]);
	});

	it('raises nothing when a notify-level reading interrupts the run', () => {
		expect(
			sustained([
				reading(1, 60, { systolic: ACTION_SBP }),
				reading(2, 70, { systolic: NOTIFY_SBP }),
				reading(3, 90, { systolic: ACTION_SBP })
			])
		).toEqual([]);
	});

	it('is not interrupted by a normal reading entered in error', () => {
		const flags = sustained([
			reading(1, 60, { systolic: ACTION_SBP }),
			reading(2, 70, { systolic: 120, enteredInError: true }),
			reading(3, 90, { systolic: ACTION_SBP })
		]);
		expect(flags.map((f) => f.sourceId)).toEqual([3]);
	});

	it('is not interrupted by a reading that did not take that measure', () => {
		const flags = sustained([
			reading(1, 60, { systolic: ACTION_SBP }),
			reading(2, 70, { systolic: null, diastolic: null, heartRate: null, temperature: 37.0 }),
			reading(3, 75, { systolic: ACTION_SBP })
		]);
		expect(flags.map((f) => f.sourceId)).toEqual([3]);
	});

	it('raises once for three action-level readings in a row', () => {
		const flags = sustained([
			reading(1, 60, { systolic: ACTION_SBP }),
			reading(2, 75, { systolic: ACTION_SBP }),
			reading(3, 90, { systolic: ACTION_SBP })
		]);
		expect(flags.map((f) => f.sourceId)).toEqual([2]);
	});

	it('raises again for a new run after an interruption', () => {
		const flags = sustained([
			reading(1, 60, { systolic: ACTION_SBP }),
			reading(2, 75, { systolic: ACTION_SBP }),
			reading(3, 90, { systolic: 120 }),
			reading(4, 120, { systolic: ACTION_SBP }),
			reading(5, 135, { systolic: ACTION_SBP })
		]);
		expect(flags.map((f) => f.sourceId)).toEqual([2, 5]);
	});

	it('still raises when rechecks every 5 minutes stay at action level for 15 minutes', () => {
		// More frequent monitoring must never hide a value that stayed high for the whole period.
		const flags = sustained([
			reading(1, 60, { systolic: ACTION_SBP }),
			reading(2, 65, { systolic: ACTION_SBP }),
			reading(3, 70, { systolic: ACTION_SBP }),
			reading(4, 75, { systolic: ACTION_SBP }),
			reading(5, 80, { systolic: ACTION_SBP })
		]);
		expect(flags.map((f) => [f.sourceId, f.values.minutes])).toEqual([[4, 15]]);
	});

	it('counts urgent-level values as at the action level or above', () => {
		const flags = sustained([
			reading(1, 60, { systolic: 185 }),
			reading(2, 75, { systolic: ACTION_SBP })
		]);
		expect(flags.map((f) => f.sourceId)).toEqual([2]);
	});

	it('does not count notify-level values, nor low ones', () => {
		expect(
			sustained([
				reading(1, 60, { systolic: NOTIFY_SBP }),
				reading(2, 90, { systolic: NOTIFY_SBP })
			])
		).toEqual([]);
		expect(sustained([reading(1, 60, { systolic: 80 }), reading(2, 90, { systolic: 80 })])).toEqual(
			[]
		);
	});

	it('counts each measure on its own', () => {
		// Systolic at action, then heart rate at action: neither measure is sustained.
		expect(
			sustained([reading(1, 60, { systolic: ACTION_SBP }), reading(2, 75, { heartRate: 120 })])
		).toEqual([]);
		const both = sustained([
			reading(1, 60, { systolic: ACTION_SBP, heartRate: 120 }),
			reading(2, 75, { systolic: ACTION_SBP, heartRate: 120 })
		]);
		expect(both.map((f) => f.values.measure).sort()).toEqual(['heartRate', 'systolic']);
		expect(new Set(both.map((f) => f.key)).size).toBe(2);
	});

	it('orders readings by the time taken, not the order they arrive in', () => {
		const flags = sustained([
			reading(3, 75, { systolic: ACTION_SBP }),
			reading(1, 60, { systolic: ACTION_SBP }),
			reading(2, 70, { systolic: 120 })
		]);
		expect(flags).toEqual([]);
	});

	it('says what was sustained in words', () => {
		const [flag] = sustained([
			reading(1, 60, { systolic: 162 }),
			reading(2, 75, { systolic: 168 })
		]);
		expect(flag?.message).toBe(
			'Systolic at action level or above on 2 readings in a row over 15 minutes (162, 168 mmHg): ' +
				'urgent. Call the study physician now and stay with the participant; follow the site ' +
				'emergency procedure; do not give the supplemental dose.'
		);
	});
});

describe('the sustained rule is a protocol setting', () => {
	it('follows 3 readings over at least 30 minutes', () => {
		const rules = demoRules((r) => {
			r.sustained.consecutiveReadings = 3;
			r.sustained.minMinutesApart = 30;
		});
		const two = [
			reading(1, 60, { systolic: ACTION_SBP }),
			reading(2, 95, { systolic: ACTION_SBP })
		];
		expect(sustained(two, rules)).toEqual([]);
		const threeShort = [
			...two.slice(0, 1),
			reading(2, 75, { systolic: ACTION_SBP }),
			reading(3, 89, { systolic: ACTION_SBP })
		];
		expect(sustained(threeShort, rules)).toEqual([]);
		const three = [...two, reading(3, 100, { systolic: ACTION_SBP })];
		expect(sustained(three, rules).map((f) => [f.sourceId, f.values.readings])).toEqual([[3, 3]]);
	});

	it('follows a notify trigger level', () => {
		const rules = demoRules((r) => {
			r.sustained.triggerLevel = 'notify';
			r.sustained.level = 'action';
		});
		const flags = sustained(
			[reading(1, 60, { systolic: NOTIFY_SBP }), reading(2, 75, { systolic: NOTIFY_SBP })],
			rules
		);
		expect(flags.map((f) => f.level)).toEqual(['action']);
	});

	it('raises nothing when switched off', () => {
		const rules = demoRules((r) => {
			r.sustained.enabled = false;
		});
		expect(
			sustained(
				[reading(1, 60, { systolic: ACTION_SBP }), reading(2, 90, { systolic: ACTION_SBP })],
				rules
			)
		).toEqual([]);
	});
});

import { describe, expect, it } from 'vitest';
import { evaluateSessionVitals } from '../../../src/lib/domain/safety';
import { at, demoRules, reading, session, type Reading } from './fixtures';

// DOMAIN.md §1: a reading missing 15 min past its scheduled time → notify. Default schedule
// (VSTPTNUM): 1 = −30, 2 = 30, 3 = 60 (with temperature), 4 = 90, 5 = 120, …, 10 = 420, 11 = end.
const missed = (readings: Reading[], now: Date, endedAt: Date | null = null, rules = demoRules()) =>
	evaluateSessionVitals(session(readings, { endedAt }), rules, now).filter(
		(f) => f.ruleId === 'vitals.missed-reading'
	);

const preDose = reading(1, -30, { timepointNumber: 1 });

describe('missed scheduled readings', () => {
	it('raises notify when the 30-minute reading is 15 minutes late', () => {
		const flags = missed([preDose], at(45));
		expect(flags).toHaveLength(1);
		expect(flags[0]).toMatchObject({
			level: 'notify',
			sourceType: 'dosing_session',
			sourceId: 7,
			key: 'vitals.missed-reading|dosing_session:7|tp:2',
			values: { timepoint: '30 MIN POST-DOSE', scheduledAt: at(30).toISOString() }
		});
	});

	it('raises nothing at 14 minutes late, nor at 14 minutes 59 seconds', () => {
		expect(missed([preDose], at(44))).toEqual([]);
		expect(missed([preDose], at(44 + 59 / 60))).toEqual([]);
	});

	it('raises nothing once the reading is recorded, by timepoint or by time', () => {
		expect(missed([preDose, reading(2, 33, { timepointNumber: 2 })], at(50))).toEqual([]);
		const byTime: Reading = { ...reading(2, 33), timepointNumber: undefined };
		expect(missed([preDose, byTime], at(50))).toEqual([]);
	});

	it('still raises when the only reading for it was entered in error', () => {
		const struck = reading(2, 31, { timepointNumber: 2, enteredInError: true });
		expect(missed([preDose, struck], at(45)).map((f) => f.key)).toEqual([
			'vitals.missed-reading|dosing_session:7|tp:2'
		]);
	});

	it('raises when a measure due at the timepoint is missing (temperature at 1 h)', () => {
		const readings = [
			preDose,
			reading(2, 30, { timepointNumber: 2 }),
			reading(3, 60, { timepointNumber: 3, temperature: null })
		];
		expect(missed(readings, at(74))).toEqual([]);
		const flags = missed(readings, at(75));
		expect(flags.map((f) => [f.key, f.values.missing])).toEqual([
			['vitals.missed-reading|dosing_session:7|tp:3', 'temperature']
		]);
	});

	it('names the missing measures in words, as the audit explorer shows them', () => {
		const readings = [
			preDose,
			reading(2, 30, { timepointNumber: 2 }),
			reading(3, 60, { timepointNumber: 3, heartRate: null, systolic: null })
		];
		expect(missed(readings, at(75)).map((f) => f.values.missing)).toEqual(['systolic, heart rate']);
	});

	it('raises one flag per late timepoint', () => {
		const flags = missed([preDose], at(105));
		expect(flags.map((f) => f.key)).toEqual([
			'vitals.missed-reading|dosing_session:7|tp:2',
			'vitals.missed-reading|dosing_session:7|tp:3',
			'vitals.missed-reading|dosing_session:7|tp:4'
		]);
	});

	it('raises for the pre-dose reading too, when it is missing', () => {
		expect(missed([], at(-15)).map((f) => f.key)).toEqual([
			'vitals.missed-reading|dosing_session:7|tp:1'
		]);
	});

	it('says which reading is late in words', () => {
		const [flag] = missed([preDose], at(47));
		expect(flag?.message).toBe(
			'The 30 MIN POST-DOSE reading is 17 minutes late (limit 15): notify. Recheck within 15 minutes.'
		);
	});
});

describe('after the session has ended', () => {
	const taken = [
		preDose,
		reading(2, 30, { timepointNumber: 2 }),
		reading(3, 60, { timepointNumber: 3 }),
		reading(4, 90, { timepointNumber: 4 })
	];

	it('does not count timepoints beyond the end as missed', () => {
		const end = reading(5, 100, { timepointNumber: 11 });
		expect(missed([...taken, end], at(600), at(100))).toEqual([]);
	});

	it('still counts the end-of-session reading, 15 minutes after the end', () => {
		expect(missed(taken, at(114), at(100))).toEqual([]);
		expect(missed(taken, at(115), at(100)).map((f) => f.key)).toEqual([
			'vitals.missed-reading|dosing_session:7|tp:11'
		]);
	});

	it('still counts a timepoint before the end that was missed', () => {
		const without60 = taken.filter((r) => r.id !== 3);
		const end = reading(5, 100, { timepointNumber: 11 });
		expect(missed([...without60, end], at(600), at(100)).map((f) => f.key)).toEqual([
			'vitals.missed-reading|dosing_session:7|tp:3'
		]);
	});
});

describe('the missed-reading rule is a protocol setting', () => {
	it('follows a 30-minute limit and an action level', () => {
		const rules = demoRules((r) => {
			r.missedReading.minutesLate = 30;
			r.missedReading.level = 'action';
		});
		expect(missed([preDose], at(59), null, rules)).toEqual([]);
		expect(missed([preDose], at(60), null, rules).map((f) => f.level)).toEqual(['action']);
	});

	it('raises nothing when switched off', () => {
		const rules = demoRules((r) => {
			r.missedReading.enabled = false;
		});
		expect(missed([], at(600), null, rules)).toEqual([]);
	});
});

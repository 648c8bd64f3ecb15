import { describe, expect, it } from 'vitest';
import { supplementalGivenFlag, supplementalHold } from '../../../src/lib/domain/safety';
import { at, demoRules, reading, type Reading } from './fixtures';
import { T0 } from './fixtures';

// DOMAIN.md §1: action level = physician review; hold the supplemental dose. The supplemental
// dose is due at T0 + 90–120 min.
const hold = (readings: Reading[], until = at(90), rules = demoRules()) =>
	supplementalHold({ t0: T0, readings }, rules, until);

/** A pre-dose baseline high enough that the readings below are no rise of 40 mmHg or 30 bpm. */
const baseline = reading(1, -30, { systolic: 130, heartRate: 90 });

describe('the supplemental-dose gate', () => {
	it('holds for an action-level reading after T0 and before the dose', () => {
		const flags = hold([baseline, reading(2, 45, { systolic: 165 })]);
		expect(flags.map((f) => [f.ruleId, f.level, f.sourceId])).toEqual([
			['vitals.systolic.high.action', 'action', 2]
		]);
	});

	it('holds for an urgent-level reading', () => {
		expect(hold([baseline, reading(2, 45, { temperature: 39.5 })]).map((f) => f.level)).toEqual([
			'urgent'
		]);
	});

	it('does not hold for a notify-level reading', () => {
		expect(hold([baseline, reading(2, 45, { systolic: 150, heartRate: 110 })])).toEqual([]);
	});

	it('does not hold for an action-level reading before T0', () => {
		expect(hold([reading(1, -30, { systolic: 165 }), reading(2, -1, { heartRate: 120 })])).toEqual(
			[]
		);
	});

	it('holds for an action-level reading exactly at T0 and one exactly at the dose time', () => {
		expect(hold([baseline, reading(2, 0, { systolic: 165 })])).toHaveLength(1);
		expect(hold([baseline, reading(2, 90, { systolic: 165 })], at(90))).toHaveLength(1);
	});

	it('does not hold for a reading taken after the dose', () => {
		expect(hold([baseline, reading(2, 95, { systolic: 165 })], at(90))).toEqual([]);
	});

	it('does not hold for a reading entered in error', () => {
		expect(hold([baseline, reading(2, 45, { systolic: 165, enteredInError: true })])).toEqual([]);
	});

	it('holds for an action-level rise from baseline even when the value is only at notify', () => {
		// SBP 105 → 150 is +45 mmHg: the change rule raises action, whose message says to hold the dose.
		const flags = hold([reading(1, -30, { systolic: 105 }), reading(2, 60, { systolic: 150 })]);
		expect(flags.map((f) => [f.ruleId, f.level])).toEqual([
			['vitals-change.systolic.absolute.rise.action', 'action']
		]);
	});

	it('does not hold for a notify-level rise from baseline (temperature +1.0 °C)', () => {
		expect(
			hold([reading(1, -30, { temperature: 36.5 }), reading(2, 60, { temperature: 37.5 })])
		).toEqual([]);
	});

	it('follows the protocol: hold at notify, or never', () => {
		const atNotify = demoRules((r) => {
			r.supplementalGate.holdAtLevel = 'notify';
		});
		expect(hold([baseline, reading(2, 45, { systolic: 150 })], at(90), atNotify)).toHaveLength(1);
		const off = demoRules((r) => {
			r.supplementalGate.enabled = false;
		});
		expect(hold([baseline, reading(2, 45, { systolic: 190 })], at(90), off)).toEqual([]);
	});
});

describe('the flag for a supplemental dose given although held', () => {
	const rules = demoRules();
	const holds = hold([
		baseline,
		reading(2, 45, { systolic: 165 }),
		reading(3, 60, { temperature: 39.5 })
	]);

	it('names every finding that held it, in words, without level or instruction', () => {
		const f = supplementalGivenFlag(7, holds, rules, null)!;
		expect(f.values).toEqual({
			heldBy: 'Systolic 165 mmHg is at or above 160; Temperature 39.5 °C is above 39'
		});
		expect(f.message).toMatch(
			/^The supplemental dose was given although Systolic 165 mmHg is at or above 160; Temperature 39\.5 °C is above 39: action\. /
		);
		expect(f).toMatchObject({ sourceType: 'dosing_session', sourceId: 7, level: 'action' });
	});

	it('keeps the override reason whole, colons and all', () => {
		const reason = 'Physician review: BP settled at 11:05, proceed';
		const f = supplementalGivenFlag(7, holds.slice(0, 1), rules, reason)!;
		expect(f.values).toEqual({
			overrideReason: reason,
			heldBy: 'Systolic 165 mmHg is at or above 160'
		});
		expect(f.message).toContain(`(override: ${reason})`);
	});

	it('is no flag when nothing held the dose', () => {
		expect(supplementalGivenFlag(7, [], rules, 'any')).toBeNull();
	});
});

import { describe, expect, it } from 'vitest';
import type { SafetyRules } from '../../../src/lib/domain/protocol';
import { evaluateSessionVitals } from '../../../src/lib/domain/safety';
import { at, demoRules, reading, session, type Reading } from './fixtures';

// DOMAIN.md §1: a rise of ≥ 40 mmHg systolic or ≥ 30 bpm above baseline → action; temperature
// ≥ 1.0 °C above baseline → notify. Baseline = the last reading before T0 of that session.
const SBP_RISE = 'vitals-change.systolic.absolute.rise.action';
const HR_RISE = 'vitals-change.heartRate.absolute.rise.action';
const TEMP_RISE = 'vitals-change.temperature.absolute.rise.notify';

/** Change flags only: bands, sustained and missed readings are left to their own tests. */
function changeFlags(readings: Reading[], rules: SafetyRules = demoRules()) {
	return evaluateSessionVitals(session(readings), rules, at(60)).filter((f) =>
		f.ruleId.startsWith('vitals-change.')
	);
}

describe('default change-from-baseline rules', () => {
	it.each([
		{ measure: 'systolic', baseline: 100, value: 139, expected: [] },
		{ measure: 'systolic', baseline: 100, value: 140, expected: [[SBP_RISE, 'action']] },
		{ measure: 'systolic', baseline: 100, value: 141, expected: [[SBP_RISE, 'action']] },
		{ measure: 'heartRate', baseline: 60, value: 89, expected: [] },
		{ measure: 'heartRate', baseline: 60, value: 90, expected: [[HR_RISE, 'action']] },
		{ measure: 'heartRate', baseline: 60, value: 91, expected: [[HR_RISE, 'action']] },
		{ measure: 'temperature', baseline: 36.5, value: 37.4, expected: [] },
		{ measure: 'temperature', baseline: 36.5, value: 37.5, expected: [[TEMP_RISE, 'notify']] },
		{ measure: 'temperature', baseline: 36.5, value: 37.6, expected: [[TEMP_RISE, 'notify']] }
	])(
		'$measure baseline $baseline, then $value → $expected',
		({ measure, baseline, value, expected }) => {
			const flags = changeFlags([
				reading(1, -30, { [measure]: baseline }),
				reading(2, 45, { [measure]: value })
			]);
			expect(flags.map((f) => [f.ruleId, f.level])).toEqual(expected);
			for (const f of flags) {
				expect(f).toMatchObject({
					sourceType: 'vital_reading',
					sourceId: 2,
					values: { baseline, value }
				});
			}
		}
	);

	it('does not flag a fall of the same size', () => {
		expect(
			changeFlags([reading(1, -30, { systolic: 150 }), reading(2, 45, { systolic: 100 })])
		).toEqual([]);
	});

	it('treats a +1.0 °C rise as a rise from every baseline, whatever the decimals', () => {
		for (let tenths = 355; tenths <= 375; tenths++) {
			const baseline = tenths / 10;
			const exactlyOne = Number((baseline + 1).toFixed(1));
			const almost = Number((baseline + 0.9).toFixed(1));
			const rise = changeFlags([
				reading(1, -30, { temperature: baseline }),
				reading(2, 60, { temperature: exactlyOne })
			]);
			expect(
				rise.map((f) => f.ruleId),
				`${baseline} → ${exactlyOne}`
			).toEqual([TEMP_RISE]);
			const none = changeFlags([
				reading(1, -30, { temperature: baseline }),
				reading(2, 60, { temperature: almost })
			]);
			expect(none, `${baseline} → ${almost}`).toEqual([]);
		}
	});

	it('says the change in words', () => {
		const [flag] = changeFlags([
			reading(1, -30, { systolic: 120 }),
			reading(2, 45, { systolic: 165 })
		]);
		expect(flag?.message).toBe(
			'Systolic 165 mmHg is +45 mmHg from the pre-dose baseline of 120 (at or above 40): action. ' +
				'Inform the study physician; recheck within 15 minutes; hold the supplemental dose.'
		);
	});
});

describe('the pre-dose baseline', () => {
	it('is the last reading before T0, not the first', () => {
		const readings = [
			reading(1, -45, { systolic: 130 }),
			reading(2, -10, { systolic: 100 }),
			reading(3, 60, { systolic: 140 })
		];
		expect(changeFlags(readings).map((f) => [f.sourceId, f.values.baseline])).toEqual([[3, 100]]);
		// Arriving in another order changes nothing.
		expect(changeFlags([...readings].reverse()).map((f) => f.values.baseline)).toEqual([100]);
	});

	it('is not a reading taken exactly at T0', () => {
		const readings = [
			reading(1, -30, { systolic: 120 }),
			reading(2, 0, { systolic: 100 }),
			reading(3, 60, { systolic: 150 })
		];
		expect(changeFlags(readings)).toEqual([]);
		// With only the T0 reading before it there is no baseline at all.
		expect(
			changeFlags([reading(2, 0, { systolic: 100 }), reading(3, 60, { systolic: 150 })])
		).toEqual([]);
	});

	it('ignores readings entered in error', () => {
		const readings = [
			reading(1, -30, { systolic: 120 }),
			reading(2, -10, { systolic: 100, enteredInError: true }),
			reading(3, 60, { systolic: 150 })
		];
		expect(changeFlags(readings)).toEqual([]);
		const corrected = readings.map((r) => (r.id === 1 ? { ...r, enteredInError: true } : r));
		expect(changeFlags(corrected)).toEqual([]);
	});

	it('raises no change flag without a baseline', () => {
		expect(
			changeFlags([reading(1, 30, { systolic: 100 }), reading(2, 60, { systolic: 200 })])
		).toEqual([]);
	});

	it('is taken per measure: a pre-dose recheck without heart rate keeps the earlier heart rate', () => {
		const readings = [
			reading(1, -30, { heartRate: 60 }),
			reading(2, -5, { heartRate: null, systolic: 118 }),
			reading(3, 60, { heartRate: 90 })
		];
		expect(changeFlags(readings).map((f) => [f.ruleId, f.values.baseline])).toEqual([
			[HR_RISE, 60]
		]);
	});

	it('compares every reading after T0, including one exactly at T0', () => {
		const readings = [
			reading(1, -30, { systolic: 100 }),
			reading(2, 0, { systolic: 140 }),
			reading(3, 30, { systolic: 120 }),
			reading(4, 60, { systolic: 145 })
		];
		expect(
			changeFlags(readings)
				.map((f) => f.sourceId)
				.sort()
		).toEqual([2, 4]);
	});
});

describe('change rules are protocol settings', () => {
	const withPercent = (rule: SafetyRules['vitalsChange'][number]) =>
		demoRules((r) => {
			r.vitalsChange = [rule];
		});

	it('applies a percent rise rule: heart rate ≥ 50 % above baseline → urgent', () => {
		const rules = withPercent({
			measure: 'heartRate',
			basis: 'percent',
			change: { op: '>=', value: 50 },
			level: 'urgent'
		});
		const run = (value: number) =>
			changeFlags(
				[reading(1, -30, { heartRate: 60 }), reading(2, 60, { heartRate: value })],
				rules
			);
		expect(run(89)).toEqual([]);
		expect(run(90).map((f) => [f.ruleId, f.level, f.values.change])).toEqual([
			['vitals-change.heartRate.percent.rise.urgent', 'urgent', 50]
		]);
		expect(run(91)).toHaveLength(1);
	});

	it('compares a percent exactly at its threshold as at it (157 from 100 is 57 %)', () => {
		const rules = withPercent({
			measure: 'systolic',
			basis: 'percent',
			change: { op: '>=', value: 57 },
			level: 'action'
		});
		const run = (value: number) =>
			changeFlags([reading(1, -30, { systolic: 100 }), reading(2, 60, { systolic: value })], rules);
		expect(run(157)).toHaveLength(1);
		expect(run(156)).toEqual([]);
	});

	it('applies a percent fall rule: systolic 20 % or more below baseline → action', () => {
		const rules = withPercent({
			measure: 'systolic',
			basis: 'percent',
			change: { op: '<=', value: -20 },
			level: 'action'
		});
		const run = (value: number) =>
			changeFlags([reading(1, -30, { systolic: 120 }), reading(2, 60, { systolic: value })], rules);
		expect(run(97)).toEqual([]);
		expect(run(96).map((f) => f.ruleId)).toEqual(['vitals-change.systolic.percent.fall.action']);
		expect(run(90)).toHaveLength(1);
	});

	it('raises nothing when the protocol lists no change rules', () => {
		const rules = demoRules((r) => {
			r.vitalsChange = [];
		});
		expect(
			changeFlags([reading(1, -30, { systolic: 100 }), reading(2, 60, { systolic: 150 })], rules)
		).toEqual([]);
	});
});

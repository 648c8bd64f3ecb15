import { describe, expect, it } from 'vitest';
import { DEFAULT_SAFETY_RULES, type VitalMeasure } from '../../../src/lib/domain/protocol';
import { bandOf, evaluateSessionVitals } from '../../../src/lib/domain/safety';
import { at, demoRules, NORMAL, onlyBands, reading, session } from './fixtures';

// DOMAIN.md §1 default vitals rules, written out here rather than read from the defaults:
//            notify   action   urgent   low (notify)
// systolic   ≥ 140    ≥ 160    > 180    < 90
// diastolic  ≥ 90     ≥ 100    > 120    < 50
// heart rate > 100    > 115    > 130    < 50
// temp °C    ≥ 37.8   ≥ 38.0   > 39.0   < 35.0
type Band = 'high.notify' | 'high.action' | 'high.urgent' | 'low.notify' | null;

interface Row {
	measure: VitalMeasure;
	rule: Exclude<Band, null>;
	threshold: number;
	/** The band expected just below, exactly at and just above the threshold. */
	below: Band;
	at: Band;
	above: Band;
}

const ROWS: Row[] = [
	{
		measure: 'systolic',
		rule: 'high.notify',
		threshold: 140,
		below: null,
		at: 'high.notify',
		above: 'high.notify'
	},
	{
		measure: 'systolic',
		rule: 'high.action',
		threshold: 160,
		below: 'high.notify',
		at: 'high.action',
		above: 'high.action'
	},
	{
		measure: 'systolic',
		rule: 'high.urgent',
		threshold: 180,
		below: 'high.action',
		at: 'high.action',
		above: 'high.urgent'
	},
	{
		measure: 'systolic',
		rule: 'low.notify',
		threshold: 90,
		below: 'low.notify',
		at: null,
		above: null
	},
	{
		measure: 'diastolic',
		rule: 'high.notify',
		threshold: 90,
		below: null,
		at: 'high.notify',
		above: 'high.notify'
	},
	{
		measure: 'diastolic',
		rule: 'high.action',
		threshold: 100,
		below: 'high.notify',
		at: 'high.action',
		above: 'high.action'
	},
	{
		measure: 'diastolic',
		rule: 'high.urgent',
		threshold: 120,
		below: 'high.action',
		at: 'high.action',
		above: 'high.urgent'
	},
	{
		measure: 'diastolic',
		rule: 'low.notify',
		threshold: 50,
		below: 'low.notify',
		at: null,
		above: null
	},
	{
		measure: 'heartRate',
		rule: 'high.notify',
		threshold: 100,
		below: null,
		at: null,
		above: 'high.notify'
	},
	{
		measure: 'heartRate',
		rule: 'high.action',
		threshold: 115,
		below: 'high.notify',
		at: 'high.notify',
		above: 'high.action'
	},
	{
		measure: 'heartRate',
		rule: 'high.urgent',
		threshold: 130,
		below: 'high.action',
		at: 'high.action',
		above: 'high.urgent'
	},
	{
		measure: 'heartRate',
		rule: 'low.notify',
		threshold: 50,
		below: 'low.notify',
		at: null,
		above: null
	},
	{
		measure: 'temperature',
		rule: 'high.notify',
		threshold: 37.8,
		below: null,
		at: 'high.notify',
		above: 'high.notify'
	},
	{
		measure: 'temperature',
		rule: 'high.action',
		threshold: 38.0,
		below: 'high.notify',
		at: 'high.action',
		above: 'high.action'
	},
	{
		measure: 'temperature',
		rule: 'high.urgent',
		threshold: 39.0,
		below: 'high.action',
		at: 'high.action',
		above: 'high.urgent'
	},
	{
		measure: 'temperature',
		rule: 'low.notify',
		threshold: 35.0,
		below: 'low.notify',
		at: null,
		above: null
	}
];

/** One unit for blood pressure and heart rate; 0.1 °C for temperature, written as a decimal. */
function neighbours(measure: VitalMeasure, threshold: number): [number, number, number] {
	if (measure !== 'temperature') return [threshold - 1, threshold, threshold + 1];
	return [Number((threshold - 0.1).toFixed(1)), threshold, Number((threshold + 0.1).toFixed(1))];
}

const CASES = ROWS.flatMap((row) => {
	const [below, exact, above] = neighbours(row.measure, row.threshold);
	return [
		{ ...row, where: 'just below', value: below, expected: row.below },
		{ ...row, where: 'exactly at', value: exact, expected: row.at },
		{ ...row, where: 'just above', value: above, expected: row.above }
	];
});

const SOURCES = [
	{ name: 'the demo protocol', rules: onlyBands() },
	{
		name: 'DEFAULT_SAFETY_RULES',
		rules: { ...structuredClone(DEFAULT_SAFETY_RULES), vitalsChange: [] }
	}
];

describe.each(SOURCES)('absolute bands from $name', ({ rules }) => {
	it.each(CASES)(
		'$measure $rule ($threshold): $where, $value → $expected',
		({ measure, value, expected }) => {
			const r = reading(1, 60, { [measure]: value });
			const flags = evaluateSessionVitals(session([r]), rules, at(60)).filter(
				(f) => f.ruleId.startsWith('vitals.') && !f.ruleId.startsWith('vitals.missed')
			);
			if (expected === null) {
				expect(flags).toEqual([]);
				expect(bandOf(rules, measure, value)).toBeNull();
				return;
			}
			const [side, level] = expected.split('.');
			expect(flags).toHaveLength(1);
			expect(flags[0]).toMatchObject({
				ruleId: `vitals.${measure}.${side}.${level}`,
				level,
				sourceType: 'vital_reading',
				sourceId: 1,
				values: { measure, value }
			});
			expect(bandOf(rules, measure, value)).toMatchObject({ measure, side, level, value });
		}
	);
});

describe('one band flag per reading and measure', () => {
	it('raises only the most severe band: SBP 200 is urgent, not also action and notify', () => {
		const flags = evaluateSessionVitals(
			session([reading(1, 60, { systolic: 200 })]),
			onlyBands(),
			at(60)
		);
		expect(flags.map((f) => f.ruleId)).toEqual(['vitals.systolic.high.urgent']);
	});

	it('raises one flag for each measure out of its band on the same reading', () => {
		const r = reading(1, 60, { systolic: 165, diastolic: 45, heartRate: 135, temperature: 37.9 });
		const flags = evaluateSessionVitals(session([r]), onlyBands(), at(60));
		expect(flags.map((f) => [f.ruleId, f.level]).sort()).toEqual([
			['vitals.diastolic.low.notify', 'notify'],
			['vitals.heartRate.high.urgent', 'urgent'],
			['vitals.systolic.high.action', 'action'],
			['vitals.temperature.high.notify', 'notify']
		]);
	});

	it('raises nothing for normal values, and skips a measure that was not taken', () => {
		const r = reading(1, 60, { temperature: null, heartRate: undefined });
		expect(evaluateSessionVitals(session([r]), onlyBands(), at(60))).toEqual([]);
		expect(evaluateSessionVitals(session([reading(2, 60, NORMAL)]), onlyBands(), at(60))).toEqual(
			[]
		);
	});

	it('ignores a reading entered in error', () => {
		const r = reading(1, 60, { systolic: 200, enteredInError: true });
		expect(evaluateSessionVitals(session([r]), onlyBands(), at(60))).toEqual([]);
	});

	it('flags each reading on its own key', () => {
		const flags = evaluateSessionVitals(
			session([reading(1, 30, { systolic: 150 }), reading(2, 35, { systolic: 150 })]),
			onlyBands(),
			at(35)
		);
		expect(flags.map((f) => f.sourceId).sort()).toEqual([1, 2]);
		expect(new Set(flags.map((f) => f.key)).size).toBe(2);
	});
});

describe('bands are protocol settings', () => {
	it('follows a protocol that writes SBP action as > 160 instead of ≥ 160', () => {
		const rules = demoRules((r) => {
			r.vitals.systolic.high.action = { op: '>', value: 160 };
		});
		expect(bandOf(rules, 'systolic', 160)?.level).toBe('notify');
		expect(bandOf(rules, 'systolic', 161)?.level).toBe('action');
	});

	it('follows MAPS-style limits a protocol may set (HR > 110 action)', () => {
		const rules = demoRules((r) => {
			r.vitals.heartRate.high.action = { op: '>', value: 110 };
		});
		expect(bandOf(rules, 'heartRate', 110)?.level).toBe('notify');
		expect(bandOf(rules, 'heartRate', 111)?.level).toBe('action');
	});

	it('raises a low-side action or urgent band only when the protocol sets one', () => {
		expect(bandOf(onlyBands(), 'systolic', 60)).toMatchObject({ side: 'low', level: 'notify' });
		const rules = demoRules((r) => {
			r.vitals.systolic.low.action = { op: '<', value: 80 };
			r.vitals.systolic.low.urgent = { op: '<=', value: 70 };
		});
		expect(bandOf(rules, 'systolic', 85)).toMatchObject({ side: 'low', level: 'notify' });
		expect(bandOf(rules, 'systolic', 79)).toMatchObject({ side: 'low', level: 'action' });
		expect(bandOf(rules, 'systolic', 70)).toMatchObject({ side: 'low', level: 'urgent' });
		const flags = evaluateSessionVitals(
			session([reading(1, 60, { systolic: 70, diastolic: 40 })]),
			{ ...rules, vitalsChange: [], sustained: { ...rules.sustained, enabled: false } },
			at(60)
		);
		expect(flags.find((f) => f.ruleId.startsWith('vitals.systolic'))?.ruleId).toBe(
			'vitals.systolic.low.urgent'
		);
	});
});

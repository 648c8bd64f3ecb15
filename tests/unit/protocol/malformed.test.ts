import { describe, expect, it } from 'vitest';
import { demoWith, errorsOf, item, loose } from './helpers';

describe('a malformed protocol is refused with the field named', () => {
	it('missing field: studyCode', () => {
		const input = demoWith((p) => delete loose(p).studyCode);
		expect(errorsOf(input)).toEqual([{ path: 'studyCode', message: 'Required.' }]);
	});

	it('missing field: a visit label', () => {
		const input = demoWith((p) => delete loose(item(p.visits, 2)).label);
		expect(errorsOf(input)).toEqual([{ path: 'visits[2].label', message: 'Required.' }]);
	});

	it('missing field: the value of an overridden threshold', () => {
		const input = demoWith((p) => delete loose(p.safetyRules.vitals.systolic.high.action).value);
		expect(errorsOf(input)).toEqual([
			{ path: 'safetyRules.vitals.systolic.high.action.value', message: 'Required.' }
		]);
	});

	it('wrong type: offset days as text', () => {
		const input = demoWith((p) => (loose(item(p.visits, 1)).offsetDays = '21'));
		expect(errorsOf(input)).toEqual([
			{ path: 'visits[1].offsetDays', message: 'Expected number, got string "21".' }
		]);
	});

	it('wrong type: the whole input is not an object', () => {
		expect(errorsOf('protocol')).toEqual([
			{ path: '', message: 'Expected object, got string "protocol".' }
		]);
	});

	it('wrong value: an operator not allowed on the high side', () => {
		const input = demoWith((p) => (p.safetyRules.vitals.heartRate.high.urgent.op = '<'));
		expect(errorsOf(input)).toEqual([
			{
				path: 'safetyRules.vitals.heartRate.high.urgent.op',
				message: 'A high threshold uses > or >=.'
			}
		]);
	});

	it('unknown field, such as a misspelt measure', () => {
		const input = demoWith((p) => (loose(p.safetyRules.vitals).sytolic = {}));
		expect(errorsOf(input)).toEqual([
			{ path: 'safetyRules.vitals.sytolic', message: 'Unknown field.' }
		]);
	});
});

describe('inverted thresholds', () => {
	it('action below notify on the high side', () => {
		const input = demoWith((p) => (p.safetyRules.vitals.systolic.high.action.value = 130));
		expect(errorsOf(input)).toEqual([
			{
				path: 'safetyRules.vitals.systolic.high.action.value',
				message: 'The action threshold (≥ 130 mmHg) must be above notify (≥ 140 mmHg).'
			}
		]);
	});

	it('urgent equal to action', () => {
		const input = demoWith((p) => (p.safetyRules.vitals.temperature.high.urgent.value = 38));
		expect(errorsOf(input).map((e) => e.path)).toEqual([
			'safetyRules.vitals.temperature.high.urgent.value'
		]);
	});

	it('a low threshold above the high notify threshold', () => {
		const input = demoWith((p) => (p.safetyRules.vitals.diastolic.low.notify.value = 95));
		expect(errorsOf(input).map((e) => e.path)).toEqual([
			'safetyRules.vitals.diastolic.low.notify.value'
		]);
	});

	it('a low action threshold above low notify', () => {
		const input = demoWith(
			(p) => (loose(p.safetyRules.vitals.systolic.low).action = { op: '<', value: 95 })
		);
		expect(errorsOf(input).map((e) => e.path)).toEqual([
			'safetyRules.vitals.systolic.low.action.value'
		]);
	});

	it('a sustained rule that does not raise the level', () => {
		const input = demoWith((p) => (p.safetyRules.sustained.level = 'action'));
		expect(errorsOf(input).map((e) => e.path)).toEqual(['safetyRules.sustained.level']);
	});
});

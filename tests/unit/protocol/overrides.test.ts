import { describe, expect, it } from 'vitest';
import {
	DEFAULT_DOSING_SESSION,
	DEFAULT_SAFETY_RULES,
	DEFAULT_SCALES_SETTINGS,
	parseProtocol
} from '../../../src/lib/domain/protocol';
import { demoWith, errorsOf, loose } from './helpers';

describe('a protocol that states only what it changes', () => {
	const minimal = demoWith((p) => {
		const keep = loose(p);
		delete keep.dosingSession;
		delete keep.scales;
		delete keep.safetyRules;
	});

	it('gets every default', () => {
		const result = parseProtocol(minimal);
		expect(result.ok && result.protocol.safetyRules).toEqual(DEFAULT_SAFETY_RULES);
		expect(result.ok && result.protocol.dosingSession).toEqual(DEFAULT_DOSING_SESSION);
		expect(result.ok && result.protocol.scales).toEqual(DEFAULT_SCALES_SETTINGS);
	});

	it('overrides one threshold and keeps the rest (MAPS-style DBP > 110)', () => {
		const input = {
			...minimal,
			safetyRules: { vitals: { diastolic: { high: { action: { op: '>', value: 110 } } } } }
		};
		const result = parseProtocol(input);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.protocol.safetyRules.vitals.diastolic.high).toEqual({
			notify: { op: '>=', value: 90 },
			action: { op: '>', value: 110 },
			urgent: { op: '>', value: 120 }
		});
		expect(result.protocol.safetyRules.vitals.systolic).toEqual(
			DEFAULT_SAFETY_RULES.vitals.systolic
		);
	});

	it('overrides the MADRS remission threshold to ≤ 12', () => {
		const result = parseProtocol({
			...minimal,
			scales: { remission: { MADRS: { op: '<=', value: 12 } } }
		});
		expect(result.ok && result.protocol.scales.remission.MADRS).toEqual({ op: '<=', value: 12 });
		expect(result.ok && result.protocol.scales.remission.HAMD17).toEqual({ op: '<=', value: 7 });
	});

	it('replaces a rule list whole', () => {
		const result = parseProtocol({ ...minimal, safetyRules: { vitalsChange: [] } });
		expect(result.ok && result.protocol.safetyRules.vitalsChange).toEqual([]);
	});

	it('does not share default objects between parsed protocols', () => {
		const first = parseProtocol(minimal);
		if (first.ok) first.protocol.safetyRules.vitals.systolic.high.notify.value = 1;
		expect(DEFAULT_SAFETY_RULES.vitals.systolic.high.notify.value).toBe(140);
		expect(errorsOf(minimal)).toEqual([]);
	});
});

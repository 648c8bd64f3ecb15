import { describe, expect, it } from 'vitest';
import {
	DEFAULT_DOSING_SESSION,
	DEFAULT_SAFETY_RULES,
	DEFAULT_SCALES_SETTINGS
} from '../../../src/lib/domain/protocol';

const { vitals } = DEFAULT_SAFETY_RULES;

describe('default vitals bands equal the DOMAIN.md table, operator and number', () => {
	it.each([
		['systolic', ['>=', 140], ['>=', 160], ['>', 180], ['<', 90]],
		['diastolic', ['>=', 90], ['>=', 100], ['>', 120], ['<', 50]],
		['heartRate', ['>', 100], ['>', 115], ['>', 130], ['<', 50]],
		['temperature', ['>=', 37.8], ['>=', 38.0], ['>', 39.0], ['<', 35.0]]
	] as const)('%s', (measure, notify, action, urgent, low) => {
		const bands = vitals[measure];
		const pair = (c: { op: string; value: number }) => [c.op, c.value];
		expect(pair(bands.high.notify)).toEqual(notify);
		expect(pair(bands.high.action)).toEqual(action);
		expect(pair(bands.high.urgent)).toEqual(urgent);
		expect(pair(bands.low.notify)).toEqual(low);
		expect(bands.low.action).toBeUndefined();
		expect(bands.low.urgent).toBeUndefined();
	});
});

describe('other default rules equal DOMAIN.md', () => {
	it('change from baseline: SBP +40 → action, HR +30 → action, temperature +1.0 °C → notify', () => {
		expect(DEFAULT_SAFETY_RULES.vitalsChange).toEqual([
			{ measure: 'systolic', basis: 'absolute', change: { op: '>=', value: 40 }, level: 'action' },
			{ measure: 'heartRate', basis: 'absolute', change: { op: '>=', value: 30 }, level: 'action' },
			{ measure: 'temperature', basis: 'absolute', change: { op: '>=', value: 1 }, level: 'notify' }
		]);
	});

	it('sustained, missed reading, supplemental gate, escalation', () => {
		expect(DEFAULT_SAFETY_RULES.sustained).toEqual({
			enabled: true,
			triggerLevel: 'action',
			consecutiveReadings: 2,
			minMinutesApart: 15,
			level: 'urgent'
		});
		expect(DEFAULT_SAFETY_RULES.missedReading).toEqual({
			enabled: true,
			minutesLate: 15,
			level: 'notify'
		});
		expect(DEFAULT_SAFETY_RULES.supplementalGate).toEqual({ enabled: true, holdAtLevel: 'action' });
		expect(DEFAULT_SAFETY_RULES.escalation).toEqual({
			enabled: true,
			unacknowledgedLevel: 'urgent',
			afterMinutes: 10
		});
	});

	it('scale items: MADRS 10 ≥ 4 urgent, ≥ 2 notify; PHQ-9 9 ≥ 1; HAM-D 3 ≥ 3; QIDS 12 ≥ 2; BDI-II 9 ≥ 2', () => {
		const rules = DEFAULT_SAFETY_RULES.scaleItems.map((r) => [
			r.scale,
			r.item,
			r.score.op,
			r.score.value,
			r.level
		]);
		expect(rules).toEqual([
			['MADRS', 10, '>=', 4, 'urgent'],
			['MADRS', 10, '>=', 2, 'notify'],
			['PHQ9', 9, '>=', 1, 'action'],
			['HAMD17', 3, '>=', 3, 'urgent'],
			['QIDSSR16', 12, '>=', 2, 'action'],
			['BDI2', 9, '>=', 2, 'action']
		]);
	});

	it('C-SSRS ideation type 4 or 5, or any behaviour → urgent', () => {
		expect(DEFAULT_SAFETY_RULES.cssrs).toEqual({
			ideation: { enabled: true, types: [4, 5], level: 'urgent' },
			behaviour: { enabled: true, level: 'urgent' }
		});
	});

	it('worsening ≥ 25 % above baseline at 2 consecutive visits → action', () => {
		expect(DEFAULT_SAFETY_RULES.worsening).toEqual({
			enabled: true,
			percentAboveBaseline: { op: '>=', value: 25 },
			consecutiveVisits: 2,
			level: 'action'
		});
	});

	it('AEs: serious → urgent + 24 h; grade ≥ 3 → action; special interest → action', () => {
		const ae = DEFAULT_SAFETY_RULES.adverseEvents;
		expect(ae.serious).toEqual({ enabled: true, level: 'urgent', reportWithinHours: 24 });
		expect(ae.severity).toEqual({ enabled: true, grade: { op: '>=', value: 3 }, level: 'action' });
		expect(ae.specialInterest.level).toBe('action');
		expect(ae.specialInterest.terms).toContain('Hyponatraemia');
		expect(ae.susarReportDays).toEqual({ fatalOrLifeThreatening: 7, other: 15 });
	});

	it('messages per level', () => {
		expect(DEFAULT_SAFETY_RULES.messages.notify).toBe('Recheck within 15 minutes.');
		expect(DEFAULT_SAFETY_RULES.messages.action).toBe(
			'Inform the study physician; recheck within 15 minutes; hold the supplemental dose.'
		);
		expect(DEFAULT_SAFETY_RULES.messages.urgent).toMatch(/study physician now/);
	});

	it('remission: MADRS ≤ 10, HAM-D17 ≤ 7, QIDS-SR16 ≤ 5, PHQ-9 < 5, BDI-II ≤ 13', () => {
		expect(DEFAULT_SCALES_SETTINGS).toEqual({
			primary: 'MADRS',
			remission: {
				MADRS: { op: '<=', value: 10 },
				HAMD17: { op: '<=', value: 7 },
				PHQ9: { op: '<', value: 5 },
				QIDSSR16: { op: '<=', value: 5 },
				BDI2: { op: '<=', value: 13 }
			},
			responsePercentBelowBaseline: 50,
			sustainedRemissionVisits: 2
		});
	});
});

describe('default vitals timepoints', () => {
	const tps = DEFAULT_DOSING_SESSION.vitalsTimepoints;

	it('−30, 30, 60, 90, 120, 180, 240, 300, 360, 420 minutes and end of session', () => {
		expect(tps.map((t) => t.minutes)).toEqual([
			-30,
			30,
			60,
			90,
			120,
			180,
			240,
			300,
			360,
			420,
			'end'
		]);
		expect(tps.map((t) => t.vstptnum)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
		expect(tps[0]?.vstpt).toBe('PRE-DOSE');
	});

	it('temperature only at −30, 60, 120, 240, 360 and end', () => {
		const withTemperature = tps.filter((t) => t.measurements.includes('temperature'));
		expect(withTemperature.map((t) => t.minutes)).toEqual([-30, 60, 120, 240, 360, 'end']);
		expect(tps.every((t) => t.measurements.includes('systolic'))).toBe(true);
	});
});

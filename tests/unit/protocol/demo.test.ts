import { describe, expect, it } from 'vitest';
import {
	DEFAULT_DOSING_SESSION,
	DEFAULT_SAFETY_RULES,
	DEFAULT_SCALES_SETTINGS,
	DEMO_PROTOCOL_JSON,
	demoProtocol,
	parseProtocol,
	ruleIdsOf
} from '../../../src/lib/domain/protocol';

describe('the demo protocol file', () => {
	it('parses without errors', () => {
		const result = parseProtocol(DEMO_PROTOCOL_JSON);
		expect(result.ok ? [] : result.errors).toEqual([]);
	});

	it('is study MDMA-TRD-01 version 1.0', () => {
		const protocol = demoProtocol();
		expect(protocol.studyCode).toBe('MDMA-TRD-01');
		expect(protocol.version).toBe('1.0');
	});

	it('has two dosing sessions 4 weeks apart at 120 mg + 60 mg', () => {
		const dosing = demoProtocol().visits.filter((v) => v.kind === 'dosing');
		expect(dosing.map((v) => v.code)).toEqual(['DS1', 'DS2']);
		expect(dosing.map((v) => v.dose)).toEqual([
			{ session: 1, initialMg: 120, supplementalMg: 60 },
			{ session: 2, initialMg: 120, supplementalMg: 60 }
		]);
		expect(dosing[1]?.anchor).toEqual({ visit: 'DS1' });
		expect(dosing[1]?.offsetDays).toBe(28);
	});

	it('has 3 preparatory visits and integration visits the day after and a week after each session', () => {
		const visits = demoProtocol().visits;
		expect(visits.filter((v) => v.kind === 'preparatory')).toHaveLength(3);
		const integration = visits
			.filter((v) => v.kind === 'integration')
			.map((v) => [v.code, v.anchor, v.offsetDays]);
		expect(integration).toEqual([
			['INT1a', { visit: 'DS1' }, 1],
			['INT1b', { visit: 'DS1' }, 7],
			['INT2a', { visit: 'DS2' }, 1],
			['INT2b', { visit: 'DS2' }, 7]
		]);
	});

	it('follows up 1, 2, 6 and 12 months after the last dosing session', () => {
		const followUps = demoProtocol().visits.filter((v) => v.kind === 'follow-up');
		expect(followUps.map((v) => v.code)).toEqual(['FU1M', 'FU2M', 'FU6M', 'FU12M']);
		expect(followUps.every((v) => v.anchor === 'last-dosing')).toBe(true);
	});

	it('gives MADRS (primary) at screening, baseline, after each integration and each follow-up', () => {
		const protocol = demoProtocol();
		expect(protocol.scales.primary).toBe('MADRS');
		const madrsAt = protocol.visits.filter((v) => v.scales.includes('MADRS')).map((v) => v.code);
		expect(madrsAt).toEqual(['SCR', 'BL', 'INT1b', 'INT2b', 'FU1M', 'FU2M', 'FU6M', 'FU12M']);
	});

	it('gives C-SSRS at every visit, including the dosing sessions', () => {
		expect(demoProtocol().visits.every((v) => v.scales.includes('CSSRS'))).toBe(true);
	});

	it('states the default rules, session and scale settings', () => {
		const protocol = demoProtocol();
		expect(protocol.safetyRules).toEqual(DEFAULT_SAFETY_RULES);
		expect(protocol.dosingSession).toEqual(DEFAULT_DOSING_SESSION);
		expect(protocol.scales).toEqual(DEFAULT_SCALES_SETTINGS);
	});

	it('has unique rule ids', () => {
		const ids = ruleIdsOf(demoProtocol());
		expect(new Set(ids).size).toBe(ids.length);
		expect(ids).toContain('vitals.systolic.high.urgent');
		expect(ids).toContain('scale.MADRS.item10.urgent');
	});

	it('returns a fresh copy each time, so one caller cannot change another’s protocol', () => {
		const first = demoProtocol();
		first.safetyRules.vitals.systolic.high.urgent.value = 999;
		expect(demoProtocol().safetyRules.vitals.systolic.high.urgent.value).toBe(180);
	});
});

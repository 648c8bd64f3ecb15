import { describe, expect, it } from 'vitest';
import {
	ADVERSE_EVENT_MESSAGES,
	evaluateAdverseEvent,
	type AdverseEventFacts
} from '../../../src/lib/domain/safety';
import { demoRules } from './fixtures';

// DOMAIN.md §3 default AE flags: serious → urgent + 24 h clock; grade ≥ 3 → action; an AE of
// special interest → action.
const rules = demoRules();

const ae = (over: Partial<AdverseEventFacts> = {}): AdverseEventFacts => ({
	id: 31,
	term: 'Felt sick',
	codedTerm: 'Nausea',
	serious: false,
	grade: 1,
	specialInterest: false,
	...over
});

const flagsOf = (over: Partial<AdverseEventFacts>) =>
	evaluateAdverseEvent(ae(over), rules).map((f) => [f.ruleId, f.level]);

describe('adverse-event flags', () => {
	it('raises nothing for a mild, non-serious, common event', () => {
		expect(flagsOf({})).toEqual([]);
	});

	it('raises urgent for a serious event, with its 24-hour clock', () => {
		const [flag] = evaluateAdverseEvent(ae({ serious: true }), rules);
		expect(flag).toMatchObject({
			ruleId: 'ae.serious',
			level: 'urgent',
			sourceType: 'adverse_event',
			sourceId: 31,
			values: { term: 'Nausea', reportWithinHours: 24 }
		});
		expect(flag?.message).toMatch(
			/^Serious adverse event: Nausea; report within 24 hours of awareness: urgent\. /
		);
	});

	it.each([
		{ grade: 2, expected: [] },
		{ grade: 3, expected: [['ae.severity', 'action']] },
		{ grade: 4, expected: [['ae.severity', 'action']] },
		{ grade: 5, expected: [['ae.severity', 'action']] }
	])('grade $grade → $expected', ({ grade, expected }) => {
		expect(flagsOf({ grade })).toEqual(expected);
	});

	it('raises action for an event coded as of special interest', () => {
		expect(flagsOf({ codedTerm: 'Blood pressure increased', specialInterest: true })).toEqual([
			['ae.special-interest', 'action']
		]);
	});

	it('raises action for a coded term on the protocol list, in any case', () => {
		expect(flagsOf({ codedTerm: 'Tachycardia' })).toEqual([['ae.special-interest', 'action']]);
		expect(flagsOf({ codedTerm: '  hyponatraemia ' })).toEqual([['ae.special-interest', 'action']]);
	});

	it('raises action for an uncoded verbatim term on the protocol list', () => {
		expect(flagsOf({ term: 'hypertension', codedTerm: null })).toEqual([
			['ae.special-interest', 'action']
		]);
	});

	it('raises every rule met, each on its own key', () => {
		const flags = evaluateAdverseEvent(
			ae({ serious: true, grade: 4, codedTerm: 'Hyperthermia' }),
			rules
		);
		expect(flags.map((f) => [f.ruleId, f.level]).sort()).toEqual([
			['ae.serious', 'urgent'],
			['ae.severity', 'action'],
			['ae.special-interest', 'action']
		]);
		expect(new Set(flags.map((f) => f.key)).size).toBe(3);
	});

	it('follows the protocol: its own special-interest list and severity threshold', () => {
		const custom = demoRules((r) => {
			r.adverseEvents.specialInterest.terms = ['Bruxism'];
			r.adverseEvents.severity.grade = { op: '>=', value: 2 };
		});
		const run = (over: Partial<AdverseEventFacts>) =>
			evaluateAdverseEvent(ae(over), custom).map((f) => f.ruleId);
		expect(run({ codedTerm: 'Tachycardia' })).toEqual([]);
		expect(run({ codedTerm: 'Bruxism' })).toEqual(['ae.special-interest']);
		expect(run({ grade: 2 })).toEqual(['ae.severity']);
	});

	it('raises nothing for a rule the protocol switches off', () => {
		const off = demoRules((r) => {
			r.adverseEvents.serious.enabled = false;
			r.adverseEvents.severity.enabled = false;
			r.adverseEvents.specialInterest.enabled = false;
		});
		expect(
			evaluateAdverseEvent(ae({ serious: true, grade: 5, specialInterest: true }), off)
		).toEqual([]);
	});
});

describe('adverse-event flags speak of the physician and the reporting clock', () => {
	it('never of rechecks or the supplemental dose', () => {
		const flags = evaluateAdverseEvent(
			{
				id: 1,
				term: 'chest pain',
				codedTerm: null,
				serious: true,
				grade: 3,
				specialInterest: true
			},
			rules
		);
		expect(flags.length).toBe(3);
		for (const f of flags) {
			expect(f.message).not.toMatch(/supplemental|recheck/i);
			expect(f.message.endsWith(ADVERSE_EVENT_MESSAGES[f.level])).toBe(true);
		}
	});
});

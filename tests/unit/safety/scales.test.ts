import { describe, expect, it } from 'vitest';
import type { ScaleId } from '../../../src/lib/domain/protocol';
import {
	evaluateAdministration,
	evaluateWorsening,
	type SeriesPoint
} from '../../../src/lib/domain/safety';
import { demoRules } from './fixtures';

// DOMAIN.md §2 default scale flags: MADRS item 10 ≥ 4 urgent, ≥ 2 notify; PHQ-9 item 9 ≥ 1
// action; HAM-D item 3 ≥ 3 urgent; QIDS item 12 ≥ 2 action; BDI-II item 9 ≥ 2 action.
const rules = demoRules();

function items(instrument: ScaleId, item: number, score: number) {
	return evaluateAdministration(
		{ id: 11, instrument, itemScores: { [String(item)]: score } },
		rules
	);
}

describe('suicidality items', () => {
	it.each([
		{ instrument: 'MADRS', item: 10, score: 1, expected: null },
		{ instrument: 'MADRS', item: 10, score: 2, expected: 'notify' },
		{ instrument: 'MADRS', item: 10, score: 3, expected: 'notify' },
		{ instrument: 'MADRS', item: 10, score: 4, expected: 'urgent' },
		{ instrument: 'MADRS', item: 10, score: 6, expected: 'urgent' },
		{ instrument: 'PHQ9', item: 9, score: 0, expected: null },
		{ instrument: 'PHQ9', item: 9, score: 1, expected: 'action' },
		{ instrument: 'PHQ9', item: 9, score: 3, expected: 'action' },
		{ instrument: 'HAMD17', item: 3, score: 2, expected: null },
		{ instrument: 'HAMD17', item: 3, score: 3, expected: 'urgent' },
		{ instrument: 'HAMD17', item: 3, score: 4, expected: 'urgent' },
		{ instrument: 'QIDSSR16', item: 12, score: 1, expected: null },
		{ instrument: 'QIDSSR16', item: 12, score: 2, expected: 'action' },
		{ instrument: 'BDI2', item: 9, score: 1, expected: null },
		{ instrument: 'BDI2', item: 9, score: 2, expected: 'action' }
	] as const)(
		'$instrument item $item = $score → $expected',
		({ instrument, item, score, expected }) => {
			const flags = items(instrument, item, score);
			if (expected === null) {
				expect(flags).toEqual([]);
				return;
			}
			expect(flags).toHaveLength(1);
			expect(flags[0]).toMatchObject({
				ruleId: `scale.${instrument}.item${item}.${expected}`,
				level: expected,
				sourceType: 'scale_administration',
				sourceId: 11,
				values: { instrument, item, score }
			});
		}
	);

	it('raises only urgent for MADRS item 10 = 5, not also notify', () => {
		expect(items('MADRS', 10, 5).map((f) => f.ruleId)).toEqual(['scale.MADRS.item10.urgent']);
	});

	it('gives notify and urgent on the same item different keys', () => {
		// The flag service keeps an open flag whose key is still wanted and raises none for it: with
		// one key per item, correcting MADRS item 10 from 2 to 5 would leave only the notify flag.
		const notify = items('MADRS', 10, 2)[0]?.key;
		const urgent = items('MADRS', 10, 5)[0]?.key;
		expect(notify).toBeDefined();
		expect(urgent).toBeDefined();
		expect(urgent).not.toBe(notify);
		// The same rule on the same administration keeps its key.
		expect(items('MADRS', 10, 3)[0]?.key).toBe(notify);
	});

	it('watches only the named item of the named scale', () => {
		expect(items('MADRS', 9, 6)).toEqual([]);
		// HAM-D item 9 is agitation; PHQ-9's item 9 rule must not apply to it.
		expect(items('HAMD17', 9, 4)).toEqual([]);
		expect(items('PHQ9', 3, 3)).toEqual([]);
	});

	it('raises nothing for a missing item', () => {
		const a = { id: 1, instrument: 'PHQ9' as const, itemScores: { '9': null, '1': 3 } };
		expect(evaluateAdministration(a, rules)).toEqual([]);
	});

	it('says the score in words, and what to do in the language of suicide risk', () => {
		const message = items('PHQ9', 9, 2)[0]?.message;
		expect(message).toBe(
			'PHQ9 item 9 scored 2 (≥ 1): action. Assess suicide risk now and inform the study ' +
				'physician; do not leave the participant alone until the risk is assessed.'
		);
		// The issue: a scale flag spoke of rechecks and the supplemental dose (vitals words).
		expect(message).not.toMatch(/supplemental|recheck/i);
	});

	it('follows item rules a protocol adds', () => {
		const custom = demoRules((r) => {
			r.scaleItems.push({ scale: 'PHQ9', item: 9, score: { op: '>=', value: 3 }, level: 'urgent' });
		});
		const a = (score: number) =>
			evaluateAdministration({ id: 1, instrument: 'PHQ9', itemScores: { '9': score } }, custom);
		expect(a(2).map((f) => f.level)).toEqual(['action']);
		expect(a(3).map((f) => f.level)).toEqual(['urgent']);
	});
});

describe('C-SSRS', () => {
	const cssrs = (ideationTypesYes: number[], behaviours: string[] = []) =>
		evaluateAdministration(
			{
				id: 21,
				instrument: 'CSSRS',
				itemScores: {},
				cssrs: { ideationTypesYes, behaviour: behaviours.length > 0, behaviours }
			},
			rules
		);

	it.each([
		{ types: [4], expected: ['cssrs.ideation'] },
		{ types: [5], expected: ['cssrs.ideation'] },
		{ types: [3], expected: [] },
		{ types: [1, 2, 3], expected: [] },
		{ types: [], expected: [] },
		{ types: [2, 4, 5], expected: ['cssrs.ideation'] }
	])('ideation types $types → $expected', ({ types, expected }) => {
		const flags = cssrs(types);
		expect(flags.map((f) => f.ruleId)).toEqual(expected);
		for (const f of flags) expect(f.level).toBe('urgent');
	});

	it('raises urgent for any suicidal behaviour', () => {
		for (const behaviour of [
			'actual attempt',
			'interrupted attempt',
			'aborted attempt',
			'preparatory acts'
		]) {
			const flags = cssrs([], [behaviour]);
			expect(flags.map((f) => [f.ruleId, f.level, f.sourceId])).toEqual([
				['cssrs.behaviour', 'urgent', 21]
			]);
		}
	});

	it('raises both when ideation type 5 and behaviour are reported', () => {
		expect(
			cssrs([5], ['actual attempt'])
				.map((f) => f.ruleId)
				.sort()
		).toEqual(['cssrs.behaviour', 'cssrs.ideation']);
	});

	it('says the ideation type in words', () => {
		expect(cssrs([4, 5])[0]?.message).toMatch(
			/^C-SSRS suicidal ideation type 4 and 5 answered yes: urgent\. /
		);
	});

	it('follows a protocol that flags type 3 too', () => {
		const custom = demoRules((r) => {
			r.cssrs.ideation.types = [3, 4, 5];
			r.cssrs.ideation.level = 'action';
		});
		const flags = evaluateAdministration(
			{
				id: 1,
				instrument: 'CSSRS',
				itemScores: {},
				cssrs: { ideationTypesYes: [3], behaviour: false, behaviours: [] }
			},
			custom
		);
		expect(flags.map((f) => [f.ruleId, f.level])).toEqual([['cssrs.ideation', 'action']]);
	});
});

describe('worsening of the primary scale', () => {
	// DOMAIN.md §2: ≥ 25 % above baseline on the primary scale at two consecutive visits → action.
	const point = (id: number, day: number, total: number): SeriesPoint => ({
		administrationId: id,
		at: new Date(Date.UTC(2025, 3, day, 9)).toISOString(),
		total
	});
	const worsening = (baseline: number | null, points: SeriesPoint[], r = rules) =>
		evaluateWorsening('MADRS', baseline, points, r);

	it('raises action at the second of two visits 25 % above baseline', () => {
		const flags = worsening(20, [point(1, 1, 25), point(2, 8, 25)]);
		expect(flags).toHaveLength(1);
		expect(flags[0]).toMatchObject({
			ruleId: 'scale.worsening',
			level: 'action',
			sourceType: 'scale_administration',
			sourceId: 2,
			values: { instrument: 'MADRS', baseline: 20, total: 25, percent: 25 }
		});
	});

	it('raises nothing at 24 %, nor at one visit only', () => {
		expect(worsening(100, [point(1, 1, 124), point(2, 8, 124)])).toEqual([]);
		expect(worsening(100, [point(1, 1, 124), point(2, 8, 125)])).toEqual([]);
		expect(worsening(20, [point(1, 1, 30)])).toEqual([]);
	});

	it('raises nothing when a better visit interrupts', () => {
		expect(worsening(20, [point(1, 1, 25), point(2, 8, 22), point(3, 15, 25)])).toEqual([]);
	});

	it('raises nothing when the baseline is 0 or missing', () => {
		expect(worsening(0, [point(1, 1, 10), point(2, 8, 10)])).toEqual([]);
		expect(worsening(null, [point(1, 1, 10), point(2, 8, 10)])).toEqual([]);
	});

	it('raises once for three visits in a row', () => {
		expect(
			worsening(20, [point(1, 1, 26), point(2, 8, 27), point(3, 15, 28)]).map((f) => f.sourceId)
		).toEqual([2]);
	});

	it('orders the visits by time, not by the order they arrive in', () => {
		const flags = worsening(20, [point(3, 15, 25), point(1, 1, 25), point(2, 8, 20)]);
		expect(flags).toEqual([]);
		expect(worsening(20, [point(2, 8, 25), point(1, 1, 25)]).map((f) => f.sourceId)).toEqual([2]);
	});

	it('orders visits by the instant, whatever zone offset the time is written in', () => {
		// 09:00+02:00 is 07:00Z, before the 08:00Z visit: the order is 25, 25, 20 → flag on id 2.
		const points: SeriesPoint[] = [
			{ administrationId: 1, at: '2025-04-01T09:00:00+02:00', total: 25 },
			{ administrationId: 3, at: '2025-04-01T08:30:00Z', total: 20 },
			{ administrationId: 2, at: '2025-04-01T08:00:00Z', total: 25 }
		];
		expect(worsening(20, points).map((f) => f.sourceId)).toEqual([2]);
	});

	it('compares a percent exactly at a protocol threshold as at it (157 from 100 is 57 %)', () => {
		const custom = demoRules((r) => {
			r.worsening.percentAboveBaseline = { op: '>=', value: 57 };
			r.worsening.consecutiveVisits = 1;
		});
		expect(worsening(100, [point(1, 1, 157)], custom)).toHaveLength(1);
		expect(worsening(100, [point(1, 1, 156)], custom)).toEqual([]);
	});

	it('raises nothing when switched off', () => {
		const off = demoRules((r) => {
			r.worsening.enabled = false;
		});
		expect(worsening(20, [point(1, 1, 40), point(2, 8, 40)], off)).toEqual([]);
	});
});

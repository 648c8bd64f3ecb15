import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	ATC_CLASSES,
	ATC_CODE_PATTERN,
	ATC_INGREDIENTS,
	DEFAULT_CONMED_RULES,
	atcClassOf,
	doseHold,
	earliestDay,
	interactions,
	latestDay,
	matchingRules,
	statusOn
} from '../../../src/lib/domain/conmeds';
import type { Medication } from '../../../src/lib/domain/conmeds';

const rule = (id: string) => DEFAULT_CONMED_RULES.find((r) => r.id === id)!;

function med(o: Partial<Medication>): Medication {
	return {
		id: 1,
		name: 'Drug',
		ingredient: null,
		atcCode: null,
		start: '2026-01-01',
		stop: null,
		...o
	};
}

const dosing = (day: string) => ({ day, context: 'dosing' as const, sessionId: 7 });

describe('DOMAIN-2.md §4 default rule table', () => {
	it('phenelzine (MAOI) taken on a dosing day: urgent, holds the dose, says do not dose', () => {
		const found = interactions(
			[med({ name: 'Nardil', ingredient: 'phenelzine', atcCode: 'N06AF03' })],
			DEFAULT_CONMED_RULES,
			dosing('2026-03-01')
		);
		expect(found).toHaveLength(1);
		expect(found[0]!.candidate).toMatchObject({
			ruleId: 'conmed.maoi',
			level: 'urgent',
			sourceType: 'concomitant_medication',
			message: expect.stringMatching(
				/Nardil \(MAO inhibitors\) is being taken: urgent\. Do not dose/
			)
		});
		expect(doseHold(found).held).toBe(true);
	});

	it('MAOI stopped 13 days before dosing is in washout; 14 days is clear', () => {
		const m = med({ ingredient: 'moclobemide', atcCode: 'N06AG02', stop: '2026-02-16' });
		expect(statusOn(m, rule('maoi'), '2026-03-01')).toEqual({
			kind: 'washout',
			daysOff: 13,
			needed: 14
		});
		expect(statusOn(m, rule('maoi'), '2026-03-02')).toEqual({ kind: 'clear' });
	});

	it('linezolid matches the MAOI rule by ingredient even without an ATC code', () => {
		expect(
			matchingRules(med({ ingredient: 'linezolid' }), DEFAULT_CONMED_RULES).map((r) => r.id)
		).toEqual(['maoi']);
	});

	it('fluoxetine needs 5 weeks off; sertraline 14 days (SSRIs, action)', () => {
		const fluox = med({ ingredient: 'fluoxetine', atcCode: 'N06AB03', stop: '2026-02-01' });
		expect(statusOn(fluox, rule('ssri'), '2026-03-01')).toEqual({
			kind: 'washout',
			daysOff: 28,
			needed: 35
		});
		const sert = med({ ingredient: 'sertraline', atcCode: 'N06AB06', stop: '2026-02-01' });
		expect(statusOn(sert, rule('ssri'), '2026-03-01')).toEqual({ kind: 'clear' });
	});

	it('bupropion is a strong CYP2D6 inhibitor: action, "exposure rises"', () => {
		const found = interactions(
			[med({ name: 'Wellbutrin', ingredient: 'bupropion', atcCode: 'N06AX12' })],
			DEFAULT_CONMED_RULES,
			dosing('2026-03-01')
		);
		expect(found.map((f) => f.rule.id)).toEqual(['cyp2d6']);
		expect(found[0]!.candidate.message).toMatch(/exposure rises/);
	});

	it('venlafaxine matches SNRIs by ATC code; paracetamol matches nothing', () => {
		expect(
			matchingRules(med({ atcCode: 'N06AX16' }), DEFAULT_CONMED_RULES).map((r) => r.id)
		).toEqual(['snri-tca']);
		expect(
			matchingRules(med({ ingredient: 'paracetamol', atcCode: 'N02BE01' }), DEFAULT_CONMED_RULES)
		).toEqual([]);
	});

	it('a medication started after the dosing day does not count', () => {
		const m = med({ ingredient: 'phenelzine', atcCode: 'N06AF03', start: '2026-03-02' });
		expect(interactions([m], DEFAULT_CONMED_RULES, dosing('2026-03-01'))).toEqual([]);
	});

	it('a rule that does not block dosing flags without holding', () => {
		const notify = { ...rule('stimulants'), level: 'notify' as const, blocksDosing: false };
		const found = interactions([med({ atcCode: 'N06BA04' })], [notify], dosing('2026-03-01'));
		expect(found).toHaveLength(1);
		expect(doseHold(found)).toEqual({ held: false, reasons: [] });
	});

	it('the flag key separates each dosing session from the entry check', () => {
		const m = [med({ atcCode: 'N06AF03' })];
		const a = interactions(m, DEFAULT_CONMED_RULES, dosing('2026-03-01'))[0]!.candidate.key;
		const b = interactions(m, DEFAULT_CONMED_RULES, { day: '2026-03-01', context: 'entry' })[0]!
			.candidate.key;
		expect(a).not.toBe(b);
	});
});

describe('partial dates: washout from the latest possible stop day', () => {
	it.each([
		['2026', '2026-01-01', '2026-12-31'],
		['2026-02', '2026-02-01', '2026-02-28'],
		['2024-02', '2024-02-01', '2024-02-29'],
		['2026-05-14', '2026-05-14', '2026-05-14']
	])('%s → %s … %s', (d, first, last) => {
		expect(earliestDay(d)).toBe(first);
		expect(latestDay(d)).toBe(last);
	});

	it('stopped "2026-02" counts from 28 Feb: MAOI still in washout on 10 March', () => {
		const m = med({ atcCode: 'N06AF03', stop: '2026-02' });
		expect(statusOn(m, rule('maoi'), '2026-03-10')).toEqual({
			kind: 'washout',
			daysOff: 10,
			needed: 14
		});
	});

	it('refuses a date that is not ISO', () => {
		expect(() => latestDay('03/2026')).toThrow(RangeError);
	});
});

describe('bundled ATC list', () => {
	it('every ingredient code is well formed and falls under a bundled class', () => {
		for (const i of ATC_INGREDIENTS) {
			expect(i.code).toMatch(ATC_CODE_PATTERN);
			expect(atcClassOf(i.code), i.ingredient).not.toBeNull();
		}
		expect(ATC_CLASSES.every((c) => ATC_CODE_PATTERN.test(c.code))).toBe(true);
	});

	it('every default rule ingredient is in the bundled list', () => {
		const names = new Set(ATC_INGREDIENTS.map((i) => i.ingredient));
		for (const r of DEFAULT_CONMED_RULES) for (const i of r.ingredients) expect(names).toContain(i);
	});
});

describe('properties', () => {
	const day = fc
		.integer({ min: 0, max: 200 })
		.map((d) => new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10));

	it('ongoing from before the day: always active; stopped ≥ washout days before: always clear', () => {
		fc.assert(
			fc.property(
				day,
				fc.constantFrom(...DEFAULT_CONMED_RULES),
				fc.integer({ min: 0, max: 100 }),
				(d, r, extra) => {
					const ongoing = med({ start: '2025-12-01', stop: null });
					if (statusOn(ongoing, r, d).kind !== 'active') return false;
					const stop = new Date(Date.parse(`${d}T00:00:00Z`) - (r.washoutDays + extra) * 86_400_000)
						.toISOString()
						.slice(0, 10);
					return statusOn(med({ start: '2025-01-01', stop }), r, d).kind === 'clear';
				}
			)
		);
	});
});

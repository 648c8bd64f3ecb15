import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
	bandFor,
	numericScaleIds,
	scoreAdministration,
	scoreCssrs,
	type NumericScaleId
} from '../../../src/lib/domain/scales';
import { administrationInput } from '../../../src/lib/schemas/scales';
import { answersOf, itemMaxima, qidsByHand, totalMaxima } from './fixtures';

/** Full answers within each item's range (HAM-D 16 kept to 0–2 here; 3 is a code, not a score). */
const fullScores = (id: NumericScaleId) =>
	fc.tuple(...itemMaxima[id].map((max) => fc.integer({ min: 0, max })));

/** The total by the instrument's rule, computed here from the item scores. */
function expectedTotal(id: NumericScaleId, scores: readonly number[]): number {
	return id === 'QIDSSR16' ? qidsByHand(scores) : scores.reduce((a, b) => a + b, 0);
}

describe.each(numericScaleIds)('%s properties', (id) => {
	it('keeps every total within 0 and the instrument maximum', () => {
		fc.assert(
			fc.property(fullScores(id), (scores) => {
				const total = scoreAdministration(id, answersOf(scores)).total;
				expect(total).not.toBeNull();
				expect(total).toBeGreaterThanOrEqual(0);
				expect(total).toBeLessThanOrEqual(totalMaxima[id]);
			})
		);
	});

	it('makes the total the sum of item scores (domain maxima for QIDS-SR16)', () => {
		fc.assert(
			fc.property(fullScores(id), (scores) => {
				expect(scoreAdministration(id, answersOf(scores)).total).toBe(expectedTotal(id, scores));
			})
		);
	});

	it('never lowers the total when one item is raised', () => {
		const withRaise = fullScores(id).chain((scores) =>
			fc.record({
				scores: fc.constant(scores),
				item: fc.integer({ min: 0, max: scores.length - 1 }),
				by: fc.integer({ min: 1, max: 6 })
			})
		);
		fc.assert(
			fc.property(withRaise, ({ scores, item, by }) => {
				const raised = [...scores];
				raised[item] = Math.min(itemMaxima[id][item] ?? 0, (scores[item] ?? 0) + by);
				const before = scoreAdministration(id, answersOf(scores)).total ?? NaN;
				const after = scoreAdministration(id, answersOf(raised)).total ?? NaN;
				expect(after).toBeGreaterThanOrEqual(before);
			})
		);
	});

	it('keeps the band monotone in the total', () => {
		const total = fc.integer({ min: 0, max: totalMaxima[id] });
		fc.assert(
			fc.property(total, total, (a, b) => {
				const [low, high] = a <= b ? [a, b] : [b, a];
				const lowBand = bandFor(id, low);
				const highBand = bandFor(id, high);
				expect(lowBand.min).toBeLessThanOrEqual(highBand.min);
				expect(low).toBeGreaterThanOrEqual(lowBand.min);
				expect(low).toBeLessThanOrEqual(lowBand.max);
			})
		);
	});

	it('is incomplete, with no total, exactly when a scored item is missing', () => {
		const partial = fc.tuple(
			...itemMaxima[id].map((max) => fc.option(fc.integer({ min: 0, max }), { nil: undefined }))
		);
		fc.assert(
			fc.property(partial, (scores) => {
				const score = scoreAdministration(id, answersOf(scores));
				const missing = scores.flatMap((s, i) => (s === undefined ? [i + 1] : []));
				expect(score.missingItems).toEqual(missing);
				expect(score.complete).toBe(missing.length === 0);
				expect(score.total === null).toBe(missing.length > 0);
				expect(score.band === null).toBe(missing.length > 0);
			})
		);
	});
});

describe('HAM-D17 item 16 not assessed', () => {
	it('always gives the total of the other 16 items', () => {
		fc.assert(
			fc.property(fullScores('HAMD17'), (scores) => {
				const answers = { ...answersOf(scores), '16': 3 };
				const others = scores.reduce((a, b, i) => (i === 15 ? a : a + b), 0);
				expect(scoreAdministration('HAMD17', answers).total).toBe(others);
			})
		);
	});
});

describe('C-SSRS properties', () => {
	const yesNo = fc.option(fc.boolean(), { nil: undefined });
	const keys = ['1', '2', '3', '4', '5', 'actualAttempt', 'interruptedAttempt'] as const;
	const more = ['abortedAttempt', 'preparatoryActs', 'nonSuicidalSelfInjury'] as const;
	const answers = fc.record(
		Object.fromEntries([...keys, ...more].map((key) => [key, yesNo])) as Record<
			(typeof keys)[number] | (typeof more)[number],
			typeof yesNo
		>
	);

	it('finds suicidal behaviour exactly when one of the four behaviours is yes', () => {
		fc.assert(
			fc.property(answers, (a) => {
				const expected = [
					a.actualAttempt,
					a.interruptedAttempt,
					a.abortedAttempt,
					a.preparatoryActs
				].includes(true);
				expect(scoreCssrs(a).behaviour).toBe(expected);
			})
		);
	});

	it('gives the highest ideation type answered yes, and ideation exactly when it is above 0', () => {
		fc.assert(
			fc.property(answers, (a) => {
				const types = [a['1'], a['2'], a['3'], a['4'], a['5']];
				const highest = types.lastIndexOf(true) + 1;
				const score = scoreCssrs(a);
				expect(score.maxIdeationType).toBe(highest);
				expect(score.ideation).toBe(highest > 0);
			})
		);
	});
});

describe('PHQ-9 item 10', () => {
	it('never changes the total or the completeness', () => {
		const item10 = fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined });
		const partial = fc.tuple(
			...itemMaxima.PHQ9.map((max) => fc.option(fc.integer({ min: 0, max }), { nil: undefined }))
		);
		fc.assert(
			fc.property(partial, item10, (scores, extra) => {
				const without = scoreAdministration('PHQ9', answersOf(scores));
				const withIt = scoreAdministration('PHQ9', { ...answersOf(scores), '10': extra });
				expect(withIt.total).toBe(without.total);
				expect(withIt.complete).toBe(without.complete);
			})
		);
	});
});

describe('validation', () => {
	const anyValue = fc.oneof(
		fc.integer({ min: -3, max: 9 }),
		fc.double({ min: -3, max: 9, noNaN: true }),
		fc.integer({ min: -3, max: 9 }).map(String)
	);
	const anyItem = fc.constantFrom(...numericScaleIds).chain((id) =>
		fc.record({
			id: fc.constant(id),
			item: fc.integer({ min: 1, max: itemMaxima[id].length }),
			value: anyValue
		})
	);

	it('accepts exactly the whole numbers in the item range, else names the item', () => {
		fc.assert(
			fc.property(anyItem, ({ id, item, value }) => {
				const max = itemMaxima[id][item - 1] ?? NaN;
				const n = Number(value);
				const fits = Number.isInteger(n) && n >= 0 && n <= max;
				// HAM-D 16 also takes 3, meaning not assessed.
				const notAssessed = id === 'HAMD17' && item === 16 && n === 3;
				const result = administrationInput.safeParse({
					instrument: id,
					items: { [item]: value }
				});
				expect(result.success).toBe(fits || notAssessed);
				if (!result.success) {
					expect(result.error.issues[0]?.path).toEqual(['items', String(item)]);
					expect(result.error.issues[0]?.message).toMatch(new RegExp(`^Item ${item} must be`));
				}
			})
		);
	});
});

import { describe, it, expect } from 'vitest';
import {
	madrsTotal,
	phq9Total,
	scoreAdministration,
	type NumericScaleId
} from '../../../src/lib/domain/scales';
import { allItems, answersOf, scoresSumming } from './fixtures';

function bandAt(id: NumericScaleId, total: number) {
	const score = scoreAdministration(id, answersOf(scoresSumming(id, total)));
	expect(score.total).toBe(total);
	return score.band?.label;
}

describe('MADRS', () => {
	it('scores 0 with every item 0 and 60 with every item 6', () => {
		expect(madrsTotal(allItems('MADRS', 0))).toBe(0);
		expect(madrsTotal(allItems('MADRS', 6))).toBe(60);
	});

	it('adds the items', () => {
		expect(madrsTotal(answersOf([0, 1, 2, 3, 4, 5, 6, 0, 1, 2]))).toBe(24);
	});

	it.each([
		[0, 'Normal'],
		[6, 'Normal'],
		[7, 'Mild'],
		[19, 'Mild'],
		[20, 'Moderate'],
		[34, 'Moderate'],
		[35, 'Severe'],
		[60, 'Severe']
	])('puts a total of %i in band %s (Snaith 1986)', (total, label) => {
		expect(bandAt('MADRS', total)).toBe(label);
	});

	it('gives no total while an item is missing, and names the missing items', () => {
		const score = scoreAdministration('MADRS', answersOf([6, 6, undefined, 6, 6, 6, 6, '', 6]));
		expect(score.complete).toBe(false);
		expect(score.total).toBeNull();
		expect(score.band).toBeNull();
		expect(score.missingItems).toEqual([3, 8, 10]);
	});

	it('reports item 10 as the suicidality item, even on an incomplete form', () => {
		const answers = { '10': 5 };
		expect(scoreAdministration('MADRS', answers).suicidalityItemScore).toBe(5);
		expect(scoreAdministration('MADRS', {}).suicidalityItemScore).toBeNull();
	});

	it('reads form strings as numbers', () => {
		expect(madrsTotal(answersOf(['1', '2', '3', '0', '0', '0', '0', '0', '0', ' 4 ']))).toBe(10);
	});

	it('refuses an answer out of range or not whole, naming the item', () => {
		expect(() => madrsTotal({ ...allItems('MADRS', 0), '4': 7 })).toThrow(/Item 4 .* 0 to 6/);
		expect(() => madrsTotal({ ...allItems('MADRS', 0), '2': 2.5 })).toThrow(/Item 2/);
		expect(() => madrsTotal({ ...allItems('MADRS', 0), '1': -1 })).toThrow(/Item 1/);
		expect(() => madrsTotal({ ...allItems('MADRS', 0), '11': 0 })).toThrow(/no item 11/);
	});
});

describe('PHQ-9', () => {
	it('scores 0 to 27 over items 1–9', () => {
		expect(phq9Total(allItems('PHQ9', 0))).toBe(0);
		expect(phq9Total(allItems('PHQ9', 3))).toBe(27);
	});

	it('ignores item 10 in the total and does not need it', () => {
		const without = allItems('PHQ9', 2);
		expect(phq9Total(without)).toBe(18);
		expect(scoreAdministration('PHQ9', without).missingItems).toEqual([]);
		expect(phq9Total({ ...without, '10': 3 })).toBe(18);
		expect(scoreAdministration('PHQ9', { ...without, '10': 3 }).responses[10]?.score).toBe(3);
	});

	it('still checks item 10 when it is given', () => {
		expect(() => phq9Total({ ...allItems('PHQ9', 0), '10': 4 })).toThrow(/Item 10/);
	});

	it.each([
		[4, 'Minimal'],
		[5, 'Mild'],
		[9, 'Mild'],
		[10, 'Moderate'],
		[14, 'Moderate'],
		[15, 'Moderately severe'],
		[19, 'Moderately severe'],
		[20, 'Severe'],
		[27, 'Severe']
	])('puts a total of %i in band %s (Kroenke 2001)', (total, label) => {
		expect(bandAt('PHQ9', total)).toBe(label);
	});

	it('reports item 9 as the suicidality item', () => {
		expect(scoreAdministration('PHQ9', { '9': 1 }).suicidalityItemScore).toBe(1);
	});

	it('is incomplete without item 9 even when item 10 is answered', () => {
		const answers = answersOf([1, 1, 1, 1, 1, 1, 1, 1, undefined, 2]);
		const score = scoreAdministration('PHQ9', answers);
		expect(score.total).toBeNull();
		expect(score.missingItems).toEqual([9]);
	});
});

import { describe, it, expect } from 'vitest';
import { hamd17Total, scoreAdministration } from '../../../src/lib/domain/scales';
import { allItems, answersOf, itemMaxima, scoresSumming } from './fixtures';

const allMax = () => answersOf(itemMaxima.HAMD17);

describe('HAM-D17', () => {
	it('scores 0 with every item 0 and 52 with every item at its maximum', () => {
		expect(hamd17Total(allItems('HAMD17', 0))).toBe(0);
		expect(hamd17Total(allMax())).toBe(52);
	});

	it.each([4, 5, 6, 12, 13, 14, 17])('refuses 3 on the 0–2 item %i', (item) => {
		expect(() => hamd17Total({ ...allItems('HAMD17', 0), [item]: 3 })).toThrow(
			new RegExp(`Item ${item} must be a whole number from 0 to 2`)
		);
	});

	it.each([1, 2, 3, 7, 8, 9, 10, 11, 15])('accepts 4 on the 0–4 item %i and refuses 5', (item) => {
		expect(hamd17Total({ ...allItems('HAMD17', 0), [item]: 4 })).toBe(4);
		expect(() => hamd17Total({ ...allItems('HAMD17', 0), [item]: 5 })).toThrow(/0 to 4/);
	});

	it.each([
		[7, 'Normal'],
		[8, 'Mild'],
		[13, 'Mild'],
		[14, 'Moderate'],
		[18, 'Moderate'],
		[19, 'Severe'],
		[22, 'Severe'],
		[23, 'Very severe'],
		[52, 'Very severe']
	])('puts a total of %i in band %s', (total, label) => {
		const score = scoreAdministration('HAMD17', answersOf(scoresSumming('HAMD17', total)));
		expect(score.total).toBe(total);
		expect(score.band?.label).toBe(label);
	});

	it('reports item 3 as the suicidality item', () => {
		expect(scoreAdministration('HAMD17', { '3': 3 }).suicidalityItemScore).toBe(3);
	});
});

describe('HAM-D17 item 16 (loss of weight)', () => {
	const others = allItems('HAMD17', 1); // 16 items at 1 besides item 16 → 16

	it('scores part A or part B 0–2 and keeps the part', () => {
		const a = scoreAdministration('HAMD17', { ...others, '16': 'A2' });
		expect(a.total).toBe(18);
		expect(a.responses[16]).toEqual({ score: 2, qualifier: 'A', notAssessed: false });
		const b = scoreAdministration('HAMD17', { ...others, '16': 'b1' });
		expect(b.total).toBe(17);
		expect(b.responses[16]?.qualifier).toBe('B');
	});

	it('accepts a bare score without a part', () => {
		expect(hamd17Total({ ...others, '16': 2 })).toBe(18);
		expect(hamd17Total({ ...others, '16': '0' })).toBe(16);
	});

	it('takes 3 as not assessed: complete, left out of the total', () => {
		for (const notAssessed of [3, '3', 'A3', 'B3']) {
			const score = scoreAdministration('HAMD17', { ...others, '16': notAssessed });
			expect(score.complete).toBe(true);
			expect(score.total).toBe(16);
			expect(score.notAssessedItems).toEqual([16]);
		}
	});

	it('gives the maximum 50 when 16 is not assessed and the rest are at their maxima', () => {
		expect(hamd17Total({ ...allMax(), '16': 3 })).toBe(50);
	});

	it('is incomplete when item 16 is missing', () => {
		const { '16': _omitted, ...rest } = others;
		const score = scoreAdministration('HAMD17', rest);
		expect(score.total).toBeNull();
		expect(score.missingItems).toEqual([16]);
	});

	it('refuses 4, a part alone or a part other than A or B', () => {
		for (const bad of [4, 'A4', 'A', 'C1', '2A', -1]) {
			expect(() => hamd17Total({ ...others, '16': bad })).toThrow(/Item 16/);
		}
	});
});

import { describe, it, expect } from 'vitest';
import { bdi2Total, qidsSr16Total, scoreAdministration } from '../../../src/lib/domain/scales';
import { allItems, answersOf, scoresSumming } from './fixtures';

/** One item standing for each QIDS-SR16 domain: sleep, mood, appetite, …, psychomotor. */
const domainItems = [1, 5, 6, 10, 11, 12, 13, 14, 15];

function qidsSumming(total: number) {
	const scores = Array.from({ length: 16 }, () => 0);
	let left = total;
	for (const item of domainItems) {
		scores[item - 1] = Math.min(3, left);
		left -= Math.min(3, left);
	}
	return answersOf(scores);
}

describe('QIDS-SR16', () => {
	it('scores 0 with every item 0 and 27 with every item 3', () => {
		expect(qidsSr16Total(allItems('QIDSSR16', 0))).toBe(0);
		expect(qidsSr16Total(allItems('QIDSSR16', 3))).toBe(27);
	});

	it('counts 9 with every item 1, not 16', () => {
		expect(qidsSr16Total(allItems('QIDSSR16', 1))).toBe(9);
	});

	it('takes the highest of sleep (1–4), appetite/weight (6–9) and psychomotor (15–16)', () => {
		// By hand: sleep 3 + mood 2 + appetite 3 + conc 1 + self 2 + SI 0 + interest 1
		// + energy 3 + psychomotor 2 = 17 (the plain item sum would be 21).
		const answers = answersOf([3, 0, 1, 2, 2, 0, 3, 1, 0, 1, 2, 0, 1, 3, 0, 2]);
		const score = scoreAdministration('QIDSSR16', answers);
		expect(score.total).toBe(17);
		expect(score.band?.label).toBe('Severe');
		expect(score.domains?.map((d) => [d.key, d.score])).toEqual([
			['sleep', 3],
			['sadMood', 2],
			['appetiteWeight', 3],
			['concentration', 1],
			['selfView', 2],
			['suicidalIdeation', 0],
			['interest', 1],
			['energy', 3],
			['psychomotor', 2]
		]);
	});

	it('counts a sleep domain of four 1s as 1', () => {
		expect(qidsSr16Total(answersOf([1, 1, 1, 1, ...Array<number>(12).fill(0)]))).toBe(1);
	});

	it('takes weight gain (item 9) when it is the highest of its domain', () => {
		expect(qidsSr16Total(answersOf([0, 0, 0, 0, 0, 1, 0, 2, 3, 0, 0, 0, 0, 0, 0, 0]))).toBe(3);
	});

	it('leaves a domain and the total empty while one of its items is missing', () => {
		const answers = answersOf([3, 3, undefined, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
		const score = scoreAdministration('QIDSSR16', answers);
		expect(score.total).toBeNull();
		expect(score.missingItems).toEqual([3]);
		expect(score.domains?.[0]?.score).toBeNull();
		expect(score.domains?.[1]?.score).toBe(1);
	});

	it.each([
		[5, 'None'],
		[6, 'Mild'],
		[10, 'Mild'],
		[11, 'Moderate'],
		[15, 'Moderate'],
		[16, 'Severe'],
		[20, 'Severe'],
		[21, 'Very severe'],
		[27, 'Very severe']
	])('puts a total of %i in band %s', (total, label) => {
		const score = scoreAdministration('QIDSSR16', qidsSumming(total));
		expect(score.total).toBe(total);
		expect(score.band?.label).toBe(label);
	});

	it('reports item 12 as the suicidality item', () => {
		expect(scoreAdministration('QIDSSR16', { '12': 2 }).suicidalityItemScore).toBe(2);
	});
});

describe('BDI-II', () => {
	it('scores 0 to 63', () => {
		expect(bdi2Total(allItems('BDI2', 0))).toBe(0);
		expect(bdi2Total(allItems('BDI2', 3))).toBe(63);
	});

	it('scores the digit of items 16 and 18 and keeps the letter', () => {
		const answers = { ...allItems('BDI2', 0), '16': '2a', '18': '3B' };
		const score = scoreAdministration('BDI2', answers);
		expect(score.total).toBe(5);
		expect(score.responses[16]).toEqual({ score: 2, qualifier: 'a', notAssessed: false });
		expect(score.responses[18]).toEqual({ score: 3, qualifier: 'b', notAssessed: false });
	});

	it('accepts a digit alone on items 16 and 18', () => {
		const score = scoreAdministration('BDI2', { ...allItems('BDI2', 0), '16': '1', '18': 0 });
		expect(score.total).toBe(1);
		expect(score.responses[16]?.qualifier).toBeNull();
	});

	it('refuses 0 with a letter, 4, a letter first, or a letter on another item', () => {
		for (const [item, bad] of [
			['16', '0a'],
			['18', '4b'],
			['16', 'a2'],
			['16', '2c'],
			['1', '2a']
		] as const) {
			expect(() => bdi2Total({ ...allItems('BDI2', 0), [item]: bad })).toThrow(`Item ${item}`);
		}
	});

	it.each([
		[13, 'Minimal'],
		[14, 'Mild'],
		[19, 'Mild'],
		[20, 'Moderate'],
		[28, 'Moderate'],
		[29, 'Severe'],
		[63, 'Severe']
	])('puts a total of %i in band %s', (total, label) => {
		const score = scoreAdministration('BDI2', answersOf(scoresSumming('BDI2', total)));
		expect(score.total).toBe(total);
		expect(score.band?.label).toBe(label);
	});

	it('reports item 9 as the suicidality item and is incomplete without it', () => {
		const { '9': _omitted, ...rest } = allItems('BDI2', 1);
		const score = scoreAdministration('BDI2', rest);
		expect(score.total).toBeNull();
		expect(score.suicidalityItemScore).toBeNull();
		expect(scoreAdministration('BDI2', { '9': 2 }).suicidalityItemScore).toBe(2);
	});
});

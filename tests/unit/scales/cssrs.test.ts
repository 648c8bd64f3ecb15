import { describe, it, expect } from 'vitest';
import { scoreAdministration, scoreCssrs } from '../../../src/lib/domain/scales';

const noBehaviour = {
	actualAttempt: false,
	interruptedAttempt: false,
	abortedAttempt: false,
	preparatoryActs: false,
	nonSuicidalSelfInjury: false
};
const noIdeation = { '1': false, '2': false, '3': false, '4': false, '5': false };
const allNo = { ...noIdeation, ...noBehaviour };

describe('C-SSRS', () => {
	it('classifies an all-no administration as complete with nothing found', () => {
		const score = scoreCssrs(allNo);
		expect(score).toMatchObject({
			complete: true,
			ideation: false,
			maxIdeationType: 0,
			behaviour: false,
			selfInjury: false,
			category: null,
			summary: 'none'
		});
	});

	it.each([1, 2, 3, 4, 5])(
		'counts a yes to ideation type %i as ideation, not behaviour',
		(type) => {
			const score = scoreCssrs({ ...allNo, [type]: true });
			expect(score.ideation).toBe(true);
			expect(score.maxIdeationType).toBe(type);
			expect(score.behaviour).toBe(false);
			expect(score.summary).toBe('suicidal ideation');
			expect(score.category?.code).toBe(type);
		}
	);

	it('reports the highest ideation type when several are yes', () => {
		const score = scoreCssrs({ ...allNo, '1': true, '2': true, '4': true });
		expect(score.maxIdeationType).toBe(4);
		expect(score.categories.map((c) => c.code)).toEqual([4, 2, 1]);
	});

	it.each([
		['actualAttempt', 7],
		['interruptedAttempt', 8],
		['abortedAttempt', 9],
		['preparatoryActs', 10]
	])('counts %s as suicidal behaviour (FDA-CASA %i)', (key, code) => {
		const score = scoreCssrs({ ...allNo, [key]: true });
		expect(score.behaviour).toBe(true);
		expect(score.behaviours).toEqual([key]);
		expect(score.ideation).toBe(false);
		expect(score.summary).toBe('suicidal behaviour');
		expect(score.category).toMatchObject({ code, key, kind: 'behaviour' });
	});

	it('records non-suicidal self-injury without counting it as suicidal behaviour', () => {
		const score = scoreCssrs({ ...allNo, nonSuicidalSelfInjury: true });
		expect(score.selfInjury).toBe(true);
		expect(score.behaviour).toBe(false);
		expect(score.ideation).toBe(false);
		expect(score.summary).toBe('non-suicidal self-injury');
		expect(score.category?.code).toBe(11);
	});

	it('ranks behaviour above ideation, and ideation above self-injury', () => {
		const score = scoreCssrs({
			...allNo,
			'5': true,
			'2': true,
			preparatoryActs: true,
			actualAttempt: true,
			nonSuicidalSelfInjury: true
		});
		expect(score.categories.map((c) => c.code)).toEqual([7, 10, 5, 2, 11]);
		expect(score.summary).toBe('suicidal behaviour');
		expect(scoreCssrs({ ...allNo, '1': true, nonSuicidalSelfInjury: true }).summary).toBe(
			'suicidal ideation'
		);
	});

	it('does not need types 3–5 after a no to type 2', () => {
		const score = scoreCssrs({ '1': true, '2': false, ...noBehaviour });
		expect(score.complete).toBe(true);
		expect(score.maxIdeationType).toBe(1);
	});

	it('needs types 3–5 after a yes to type 2', () => {
		const score = scoreCssrs({ '1': true, '2': true, ...noBehaviour });
		expect(score.complete).toBe(false);
		expect(score.missingItems).toEqual(['3', '4', '5']);
	});

	it('needs every behaviour and self-injury answered', () => {
		const score = scoreCssrs({ ...noIdeation, actualAttempt: false });
		expect(score.missingItems).toEqual([
			'interruptedAttempt',
			'abortedAttempt',
			'preparatoryActs',
			'nonSuicidalSelfInjury'
		]);
	});

	it('reports a yes even on an incomplete form', () => {
		const score = scoreCssrs({ '4': 'yes' });
		expect(score.complete).toBe(false);
		expect(score.maxIdeationType).toBe(4);
		expect(score.ideation).toBe(true);
	});

	it('reads yes/no as booleans or words', () => {
		expect(scoreCssrs({ ...allNo, '3': 'Yes', '2': 'y' }).maxIdeationType).toBe(3);
		expect(scoreCssrs({ ...allNo, '1': 'no' }).ideation).toBe(false);
	});

	it('adds the five intensity ratings when all are given', () => {
		const ratings = { frequency: 2, duration: 3, controllability: 0, deterrents: 1, reasons: 5 };
		const score = scoreCssrs({ ...allNo, '1': true, ...ratings });
		expect(score.intensityTotal).toBe(11);
		expect(score.intensity).toEqual(ratings);
		const { reasons: _omitted, ...four } = ratings;
		expect(scoreCssrs({ ...allNo, '1': true, ...four }).intensityTotal).toBeNull();
		expect(scoreCssrs({ ...allNo, '1': true, ...four }).complete).toBe(true);
	});

	it('refuses an answer it cannot read, naming the item', () => {
		expect(() => scoreCssrs({ '3': 'maybe' })).toThrow('Ideation type 3 must be yes or no.');
		expect(() => scoreCssrs({ abortedAttempt: 2 })).toThrow('Aborted attempt must be yes or no.');
		expect(() => scoreCssrs({ frequency: 0 })).toThrow(
			'Frequency must be a whole number from 1 to 5.'
		);
		expect(() => scoreCssrs({ completedSuicide: false })).toThrow('no item completedSuicide');
	});

	it('is reached through scoreAdministration', () => {
		expect(scoreAdministration('CSSRS', { ...allNo, actualAttempt: true }).instrument).toBe(
			'CSSRS'
		);
	});
});

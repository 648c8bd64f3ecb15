import { describe, it, expect } from 'vitest';
import { fieldErrorsOf } from '../../../src/lib/schemas/parse';
import {
	administrationInput,
	cssrsItems,
	numericScaleItems
} from '../../../src/lib/schemas/scales';
import { scoreAdministration } from '../../../src/lib/domain/scales';

function errorsOf(input: unknown) {
	const result = administrationInput.safeParse(input);
	if (result.success) throw new Error('expected the input to be refused');
	return fieldErrorsOf(result.error);
}

describe('administration input', () => {
	it('names the item in the path and the message', () => {
		expect(errorsOf({ instrument: 'MADRS', items: { '10': 7 } })).toEqual({
			'items.10': ['Item 10 must be a whole number from 0 to 6.']
		});
	});

	it('refuses fractions, negatives, words and out-of-range values', () => {
		const errors = errorsOf({
			instrument: 'PHQ9',
			items: { '1': 1.5, '2': -1, '3': 'often', '4': 4, '5': true }
		});
		expect(Object.keys(errors)).toEqual(['items.1', 'items.2', 'items.3', 'items.4', 'items.5']);
		expect(errors['items.3']).toEqual(['Item 3 must be a whole number from 0 to 3.']);
	});

	it('uses each item’s own range on HAM-D17', () => {
		expect(errorsOf({ instrument: 'HAMD17', items: { '4': 3, '1': 5 } })).toEqual({
			'items.1': ['Item 1 must be a whole number from 0 to 4.'],
			'items.4': ['Item 4 must be a whole number from 0 to 2.']
		});
	});

	it('refuses an item the instrument does not have', () => {
		expect(errorsOf({ instrument: 'MADRS', items: { '11': 1 } })).toEqual({
			items: ['MADRS has no item 11.']
		});
	});

	it('refuses an unknown instrument', () => {
		expect(Object.keys(errorsOf({ instrument: 'GAD7', items: {} }))).toEqual(['instrument']);
	});

	it('accepts a partial administration, dropping blanks, which then scores as incomplete', () => {
		const parsed = administrationInput.parse({
			instrument: 'MADRS',
			items: { '1': '3', '2': '', '3': null, '4': 2 }
		});
		expect(parsed.items).toEqual({ '1': 3, '4': 2 });
		const score = scoreAdministration('MADRS', parsed.items);
		expect(score.complete).toBe(false);
		expect(score.total).toBeNull();
	});

	it('stores BDI-II letters after the digit and HAM-D parts before it, normalised', () => {
		expect(numericScaleItems.BDI2.parse({ '16': ' 2A ', '18': '1', '1': '0' })).toEqual({
			'16': '2a',
			'18': 1,
			'1': 0
		});
		expect(numericScaleItems.HAMD17.parse({ '16': 'b 1' })).toEqual({ '16': 'B1' });
		expect(numericScaleItems.HAMD17.parse({ '16': 3 })).toEqual({ '16': 3 });
	});

	it('explains the BDI-II and HAM-D item 16 formats', () => {
		expect(errorsOf({ instrument: 'BDI2', items: { '16': '0b' } })['items.16']?.[0]).toMatch(
			/followed by a or b/
		);
		expect(errorsOf({ instrument: 'HAMD17', items: { '16': 'C2' } })['items.16']?.[0]).toMatch(
			/3 for not assessed, optionally preceded by part A or B/
		);
	});

	it('reads C-SSRS yes/no into booleans and checks intensity ranges', () => {
		expect(
			cssrsItems.parse({ '1': 'yes', '2': 'no', actualAttempt: false, duration: '5' })
		).toEqual({ '1': true, '2': false, actualAttempt: false, duration: 5 });
		expect(
			errorsOf({ instrument: 'CSSRS', items: { '2': 'perhaps', controllability: 6 } })
		).toEqual({
			'items.2': ['Ideation type 2 must be yes or no.'],
			'items.controllability': ['Controllability must be a whole number from 0 to 5.']
		});
	});

	it('gives output that scores the same as the raw answers', () => {
		const items = { '1': '2', '2': 1, '3': '0', '4': 3, '5': 0, '6': 1, '7': 2, '8': 0, '9': 1 };
		const parsed = administrationInput.parse({ instrument: 'PHQ9', items });
		expect(scoreAdministration('PHQ9', parsed.items).total).toBe(10);
	});
});

import { describe, it, expect } from 'vitest';
import {
	cssrs,
	cssrsKeys,
	numericInstrument,
	numericScaleIds,
	remissionThreshold,
	scaleIds
} from '../../../src/lib/domain/scales';
import { itemMaxima, totalMaxima } from './fixtures';

describe('instrument definitions', () => {
	it('lists the six instruments by id', () => {
		expect([...scaleIds]).toEqual(['MADRS', 'HAMD17', 'PHQ9', 'QIDSSR16', 'BDI2', 'CSSRS']);
	});

	it.each(numericScaleIds)('%s has the item ranges of DOMAIN.md §2', (id) => {
		const scored = numericInstrument(id).items.filter((item) => item.scored !== false);
		expect(scored.map((item) => item.number)).toEqual(itemMaxima[id].map((_, i) => i + 1));
		expect(scored.map((item) => item.max)).toEqual(itemMaxima[id]);
		expect(scored.every((item) => item.min === 0)).toBe(true);
	});

	it.each(numericScaleIds)('%s total range is 0 to the DOMAIN.md maximum', (id) => {
		expect(numericInstrument(id).totalRange).toEqual({ min: 0, max: totalMaxima[id] });
	});

	it.each(numericScaleIds)('%s bands run without gap or overlap over the total range', (id) => {
		const { bands, totalRange } = numericInstrument(id);
		expect(bands[0]?.min).toBe(totalRange.min);
		expect(bands.at(-1)?.max).toBe(totalRange.max);
		bands.slice(1).forEach((band, i) => expect(band.min).toBe((bands[i]?.max ?? NaN) + 1));
	});

	it('has the suicidality items of DOMAIN.md §2', () => {
		const items = numericScaleIds.map((id) => numericInstrument(id).suicidalityItem);
		expect(items).toEqual([10, 3, 9, 12, 9]);
	});

	it('has the default remission thresholds of DOMAIN.md §2 (PHQ-9 < 5 stored as ≤ 4)', () => {
		expect(numericScaleIds.map(remissionThreshold)).toEqual([10, 7, 4, 5, 13]);
	});

	it('gives PHQ-9 an unscored item 10 and no other instrument an unscored item', () => {
		const unscored = numericScaleIds.flatMap((id) =>
			numericInstrument(id)
				.items.filter((i) => i.scored === false)
				.map((i) => `${id} ${i.number}`)
		);
		expect(unscored).toEqual(['PHQ9 10']);
	});

	it('gives every item a unique test code of at most 8 characters ending in its number', () => {
		const codes = [
			...numericScaleIds.flatMap((id) =>
				numericInstrument(id).items.map((item) => {
					expect(item.testCode.endsWith(String(item.number).padStart(2, '0'))).toBe(true);
					return item.testCode;
				})
			),
			...[...cssrs.ideation, ...cssrs.intensity, ...cssrs.behaviour, cssrs.selfInjury].map(
				(item) => item.testCode
			)
		];
		expect(new Set(codes).size).toBe(codes.length);
		for (const code of codes) expect(code).toMatch(/^[A-Z]+\d*\d{2}$/);
		for (const code of codes) expect(code.length).toBeLessThanOrEqual(8);
	});

	it('uses one prefix per instrument', () => {
		for (const id of numericScaleIds) {
			const prefixes = new Set(numericInstrument(id).items.map((i) => i.testCode.slice(0, -2)));
			expect(prefixes.size).toBe(1);
		}
	});

	it('ships item wording only for PHQ-9 and HAM-D17', () => {
		const shippable = numericScaleIds.filter((id) => numericInstrument(id).itemTextMayShip);
		expect(shippable).toEqual(['HAMD17', 'PHQ9']);
		expect(cssrs.itemTextMayShip).toBe(false);
	});

	it('keeps labels short for instruments whose wording may not ship', () => {
		for (const id of numericScaleIds) {
			for (const item of numericInstrument(id).items) {
				expect(item.label.length).toBeLessThanOrEqual(40);
			}
		}
	});

	it('has C-SSRS ideation types 1–5, four behaviours and self-injury', () => {
		expect(cssrs.ideation.map((i) => i.key)).toEqual(['1', '2', '3', '4', '5']);
		expect(cssrs.behaviour.map((b) => b.key)).toEqual([
			'actualAttempt',
			'interruptedAttempt',
			'abortedAttempt',
			'preparatoryActs'
		]);
		expect(cssrsKeys).toContain('nonSuicidalSelfInjury');
		expect(cssrsKeys).toHaveLength(15);
	});
});

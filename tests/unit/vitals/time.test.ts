import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minutesFromT0, vseltm } from '../../../src/lib/domain/vitals';

describe('vseltm (SDTM planned elapsed time as ISO 8601)', () => {
	it.each([
		[0, 'PT0M'],
		[-0, 'PT0M'],
		[30, 'PT30M'],
		[60, 'PT1H'],
		[90, 'PT1H30M'],
		[420, 'PT7H'],
		[-30, '-PT30M'],
		[-90, '-PT1H30M'],
		[1.5, 'PT1M30S'],
		[1500, 'PT25H']
	])('%d minutes → %s', (minutes, expected) => {
		expect(vseltm(minutes)).toBe(expected);
	});

	it('refuses a value that is not a number of minutes', () => {
		expect(() => vseltm(Number.NaN)).toThrow(RangeError);
	});

	it('reads back as the same number of minutes (property)', () => {
		const pattern = /^(-?)PT(?:(\d+)H)?(?:(\d+)M)?$/;
		fc.assert(
			fc.property(fc.integer({ min: -10_000, max: 10_000 }), (minutes) => {
				const match = pattern.exec(vseltm(minutes));
				expect(match).not.toBeNull();
				const [, sign, h, m] = match ?? [];
				const back = Number(h ?? 0) * 60 + Number(m ?? 0);
				expect(sign === '-' ? -back : back).toBe(minutes);
			})
		);
	});
});

describe('minutesFromT0', () => {
	it('counts minutes from the initial dose, negative before it', () => {
		expect(minutesFromT0('2025-03-05T09:00:00Z', '2025-03-05T10:30:00Z')).toBe(90);
		expect(minutesFromT0('2025-03-05T09:00:00Z', new Date('2025-03-05T08:30:00Z'))).toBe(-30);
	});

	it('refuses a time that cannot be read', () => {
		expect(() => minutesFromT0('2025-03-05T09:00:00Z', 'half past ten')).toThrow(RangeError);
	});
});

// What an ePRO link shows, and when it stops working.
import { describe, expect, it } from 'vitest';
import {
	DEFAULT_EPRO_SETTINGS,
	eproForm,
	linkState,
	offeredInstruments,
	type EproSettings
} from '../../../src/lib/domain/epro';

const options = [
	{ value: '0', label: 'none' },
	{ value: '1', label: 'some' },
	{ value: '2', label: 'more' },
	{ value: '3', label: 'most' }
];
const siteText = (items: number): EproSettings['itemText']['QIDSSR16'] => ({
	instructions: 'Site-supplied licensed wording',
	recallDays: 7,
	items: Object.fromEntries(
		Array.from({ length: items }, (_, i) => [String(i + 1), { text: `Item ${i + 1}`, options }])
	)
});

describe('the form a link shows', () => {
	it('PHQ-9 ships with its own wording: nine scored items and the optional tenth', () => {
		const form = eproForm('PHQ9', DEFAULT_EPRO_SETTINGS)!;
		expect(form.items.map((i) => i.key)).toEqual([
			'1',
			'2',
			'3',
			'4',
			'5',
			'6',
			'7',
			'8',
			'9',
			'10'
		]);
		expect(form.items.filter((i) => i.optional).map((i) => i.key)).toEqual(['10']);
		expect(form.recallDays).toBe(14);
		expect(form.items[0]!.options.map((o) => o.value)).toEqual(['0', '1', '2', '3']);
	});

	it('QIDS-SR16 and BDI-II only with the site’s wording for every item', () => {
		expect(offeredInstruments(DEFAULT_EPRO_SETTINGS)).toEqual(['PHQ9']);
		expect(eproForm('QIDSSR16', DEFAULT_EPRO_SETTINGS)).toBeNull();
		const partial = { ...DEFAULT_EPRO_SETTINGS, itemText: { QIDSSR16: siteText(15) } };
		expect(eproForm('QIDSSR16', partial)).toBeNull();
		const whole = { ...DEFAULT_EPRO_SETTINGS, itemText: { QIDSSR16: siteText(16) } };
		expect(eproForm('QIDSSR16', whole)!.items).toHaveLength(16);
		expect(offeredInstruments(whole)).toEqual(['PHQ9', 'QIDSSR16']);
	});
});

describe('a link’s state', () => {
	const expiresAt = '2026-11-20T10:00:00.000Z';
	it('is open until its expiry, expired from that instant, used once used', () => {
		expect(linkState({ usedAt: null, expiresAt }, new Date('2026-11-20T09:59:59.999Z'))).toBe(
			'open'
		);
		expect(linkState({ usedAt: null, expiresAt }, new Date(expiresAt))).toBe('expired');
		expect(
			linkState({ usedAt: '2026-11-20T09:00:00Z', expiresAt }, new Date('2026-11-20T09:30:00Z'))
		).toBe('used');
		expect(
			linkState({ usedAt: '2026-11-20T09:00:00Z', expiresAt }, new Date('2026-12-01T00:00:00Z'))
		).toBe('used');
	});
});

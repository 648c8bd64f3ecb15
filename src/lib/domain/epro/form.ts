// What a participant sees through an ePRO link, and whether a link may still be used. Pure.
import { numericInstrument } from '../scales/instruments';
import { PHQ9_TEXT } from './phq9-text';
import type { EproSettings, EproText } from './settings';

/** The self-report instruments (MADRS and HAM-D are clinician-rated, never ePRO: DOMAIN-2.md §5). */
export const EPRO_INSTRUMENTS = ['PHQ9', 'QIDSSR16', 'BDI2'] as const;
export type EproInstrument = (typeof EPRO_INSTRUMENTS)[number];

export const isEproInstrument = (v: unknown): v is EproInstrument =>
	EPRO_INSTRUMENTS.some((i) => i === v);

export interface EproFormItem {
	key: string;
	text: string;
	options: Array<{ value: string; label: string }>;
	optional: boolean;
}

export interface EproForm {
	instrument: EproInstrument;
	name: string;
	instructions: string;
	recallDays: number;
	items: EproFormItem[];
}

function textFor(instrument: EproInstrument, settings: EproSettings): EproText | undefined {
	return instrument === 'PHQ9' ? PHQ9_TEXT : settings.itemText[instrument];
}

/**
 * The form of one instrument, or null when Vigil may not show it: its wording is not shipped and
 * the protocol does not supply every item's text.
 */
export function eproForm(instrument: EproInstrument, settings: EproSettings): EproForm | null {
	const text = textFor(instrument, settings);
	if (!text) return null;
	const def = numericInstrument(instrument);
	const items: EproFormItem[] = [];
	for (const d of def.items) {
		const t = text.items[String(d.number)];
		if (!t) return null;
		items.push({
			key: String(d.number),
			text: t.text,
			options: t.options,
			optional: t.optional === true || d.scored === false
		});
	}
	return {
		instrument,
		name: def.name,
		instructions: text.instructions,
		recallDays: text.recallDays,
		items
	};
}

/** The instruments a site can offer now. */
export function offeredInstruments(settings: EproSettings): EproInstrument[] {
	return EPRO_INSTRUMENTS.filter((i) => eproForm(i, settings) !== null);
}

export type LinkState = 'open' | 'used' | 'expired';

/** A link is used once; at or after its expiry it is refused (DOMAIN-2.md §5, one-time link). */
export function linkState(
	link: { usedAt: string | null; expiresAt: string },
	now: Date
): LinkState {
	if (link.usedAt !== null) return 'used';
	return now.getTime() >= Date.parse(link.expiresAt) ? 'expired' : 'open';
}

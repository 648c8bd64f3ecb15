/**
 * Reading one item's answer as entered into a score (and, for BDI-II 16/18 and HAM-D 16, a
 * letter). The Zod schemas and the scoring both read answers here, so they cannot disagree.
 */
import type { ItemDef, ItemResponse } from './types';

export type ItemReading =
	| { readonly ok: true; readonly response: ItemResponse }
	| { readonly ok: false; readonly message: string };

/** null, undefined and an empty or blank string all mean "not answered". */
export function isBlank(raw: unknown): raw is null | undefined | '' {
	return raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '');
}

/** The message shown when an item's answer cannot be read. */
export function itemMessage(item: ItemDef): string {
	const range = `a whole number from ${item.min} to ${item.max}`;
	if (item.qualifier === 'bdi-direction') {
		return `Item ${item.number} must be 0, or 1 to 3 optionally followed by a or b (e.g. 2a).`;
	}
	if (item.qualifier === 'hamd-part') {
		return (
			`Item ${item.number} must be ${range}, or ${item.notAssessed} for not assessed, ` +
			'optionally preceded by part A or B (e.g. A1).'
		);
	}
	return `Item ${item.number} must be ${range}.`;
}

function fail(item: ItemDef): ItemReading {
	return { ok: false, message: itemMessage(item) };
}

function scored(item: ItemDef, score: number, qualifier: string | null): ItemReading {
	const notAssessed = item.notAssessed !== undefined && score === item.notAssessed;
	if (!Number.isInteger(score) || ((score < item.min || score > item.max) && !notAssessed)) {
		return fail(item);
	}
	// `+ 0` turns a -0 into 0.
	return { ok: true, response: { score: score + 0, qualifier, notAssessed } };
}

const digits = /^\d+$/;
const bdiDirection = /^([0-3])([ab])?$/i;
const hamdPart = /^([ab])?\s*(\d)$/i;

function readString(item: ItemDef, text: string): ItemReading {
	if (item.qualifier === 'bdi-direction') {
		const match = bdiDirection.exec(text);
		if (!match) return fail(item);
		const score = Number(match[1]);
		const letter = match[2]?.toLowerCase() ?? null;
		// A 0 answer has no direction on the BDI-II form.
		if (score === 0 && letter !== null) return fail(item);
		return scored(item, score, letter);
	}
	if (item.qualifier === 'hamd-part') {
		const match = hamdPart.exec(text);
		if (!match) return fail(item);
		return scored(item, Number(match[2]), match[1]?.toUpperCase() ?? null);
	}
	return digits.test(text) ? scored(item, Number(text), null) : fail(item);
}

/** Reads one answered item. Call only for a non-blank answer (see `isBlank`). */
export function readItemAnswer(item: ItemDef, raw: unknown): ItemReading {
	if (typeof raw === 'number') return scored(item, raw, null);
	if (typeof raw === 'string') return readString(item, raw.trim());
	return fail(item);
}

/**
 * The stored form of a response: a number when it carries no letter, else the letter in its
 * place on the form ('2a' for BDI-II, 'A1' for HAM-D 16). Suits SDTM QSORRES.
 */
export function canonicalAnswer(item: ItemDef, response: ItemResponse): number | string {
	if (response.qualifier === null) return response.score;
	return item.qualifier === 'hamd-part'
		? `${response.qualifier}${response.score}`
		: `${response.score}${response.qualifier}`;
}

// Input primitives every form, API body and CLI argument shares: plain decimal numbers, real
// calendar dates inside a plausible range, and reasons made of words.
import { z } from 'zod';

export interface DateRange {
	/** 'YYYY-MM-DD', inclusive. */
	earliest: string;
	latest: string;
}

/**
 * Dates a clinical record may carry, by default. A trial site's records start long after 2000 and
 * a visit schedule never reaches past 2099; outside that, the date is a typo (0999, 9999) or a
 * probe. A site widens or narrows it with VIGIL_PLAUSIBLE_DATES (runtime/config.ts).
 */
export const DEFAULT_PLAUSIBLE_DATES: DateRange = { earliest: '2000-01-01', latest: '2099-12-31' };

let plausible: DateRange = DEFAULT_PLAUSIBLE_DATES;

/** Sets the range every date field is held to; the server calls it at start with the setting. */
export function usePlausibleDates(range: DateRange): void {
	plausible = range;
}

/** The range dates are held to now. */
export function plausibleDates(): DateRange {
	return plausible;
}

/** Longest reason for a change or an entry in error (setting); a paragraph, not a document. */
export const REASON_MAX_LENGTH = 1000;
/** Letters a reason needs at least, so "...", "   " or zero-width characters are not a reason. */
export const REASON_MIN_LETTERS = 3;

const PLAIN_DECIMAL = /^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)$/;

/**
 * A number as a person types it: digits with an optional sign and decimal point (or comma).
 * JSON numbers pass; booleans, hex ('0x78'), exponents and blanks do not, so `true` is never a
 * 1 mg dose and '0x78' never a systolic 120.
 */
export function plainNumber(value: unknown): unknown {
	if (value === undefined || value === null) return value;
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value !== 'string') return value === null ? value : Symbol('not a number');
	const text = value.trim();
	return PLAIN_DECIMAL.test(text) ? Number(text.replace(',', '.')) : Symbol('not a number');
}

/** z.number over plainNumber: the preprocessed schema for a required number field. */
export const decimal = (message: string) => z.preprocess(plainNumber, z.number({ error: message }));

/** The day 'YYYY-MM-DD' names, at midnight UTC; null when it is no such day (30 February). */
export function realDay(text: string): Date | null {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
	if (!m) return null;
	const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
	// setUTCFullYear, not Date.UTC, which reads years 0–99 as 1900–1999.
	const day = new Date(0);
	day.setUTCFullYear(y, mo - 1, d);
	if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) {
		return null;
	}
	return day;
}

/** 'YYYY-MM-DD' naming a real day (no 30 February) inside the plausible dates. */
export function dateProblem(text: string): string | null {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return 'Enter a date as YYYY-MM-DD.';
	const day = realDay(text);
	if (!day) return 'Enter a real date (this day does not exist).';
	return instantProblem(day);
}

/** An instant outside the plausible dates, in words; null when plausible. */
export function instantProblem(at: Date): string | null {
	const day = at.toISOString().slice(0, 10);
	if (day < plausible.earliest || day > plausible.latest) {
		return `Enter a date between ${plausible.earliest} and ${plausible.latest}.`;
	}
	return null;
}

export const calendarDate = z
	.string({ error: 'Enter a date.' })
	.trim()
	.superRefine((text, ctx) => {
		const problem = dateProblem(text);
		if (problem) ctx.addIssue({ code: 'custom', message: problem });
	});

// Control characters other than tab and line breaks, format characters (zero-width spaces,
// direction marks), surrogates, private-use and unassigned code points.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\p{Cf}\p{Cs}\p{Co}\p{Cn}]/u;

/** What is wrong with a reason, in words; null when it is a reason. */
export function reasonProblem(text: string): string | null {
	if ([...text].length > REASON_MAX_LENGTH) {
		return `Keep the reason under ${REASON_MAX_LENGTH} characters.`;
	}
	if (UNPRINTABLE.test(text)) return 'The reason holds characters that cannot be printed.';
	if ((text.match(/\p{L}/gu) ?? []).length < REASON_MIN_LETTERS) {
		return 'Give the reason in words.';
	}
	return null;
}

/** A required reason: trimmed, printable, in words, not too long. */
export const reasonText = (missing: string) =>
	z
		.string({ error: missing })
		.trim()
		.min(1, missing)
		.superRefine((text, ctx) => {
			const problem = reasonProblem(text);
			if (problem) ctx.addIssue({ code: 'custom', message: problem });
		});

/** An optional reason: blank is none; anything given must be a reason. */
export const optionalReasonText = z
	.string()
	.trim()
	.optional()
	.superRefine((text, ctx) => {
		const problem = text ? reasonProblem(text) : null;
		if (problem) ctx.addIssue({ code: 'custom', message: problem });
	})
	.transform((s) => (s ? s : undefined));

// Pieces of the GET filters that lists share (review queue, audit trail): a query string carries
// every value as text, and an empty field means "no filter".
import { z } from 'zod';

export const blank = (v: unknown) =>
	v === null || (typeof v === 'string' && v.trim() === '') ? undefined : v;

/** An optional positive whole number, e.g. a participant id. */
export const positive = (what: string) =>
	z.preprocess(
		blank,
		z.coerce
			.number({ error: `Give the ${what} as a number.` })
			.int()
			.positive()
			.optional()
	);

/** An optional calendar day, YYYY-MM-DD. */
export const day = z.preprocess(
	blank,
	z
		.string()
		.regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a date as YYYY-MM-DD.')
		.refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'Enter a real date.')
		.optional()
);

/** A from … to pair of days in order (either may be left out), the error on `to`. */
export const daysInOrder: [
	(f: { from?: string; to?: string }) => boolean,
	{ path: string[]; message: string }
] = [
	(f) => !f.from || !f.to || f.from <= f.to,
	{ path: ['to'], message: 'The end date comes on or after the start date.' }
];

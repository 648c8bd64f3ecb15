// Cursor pagination for the JSON API's lists: `limit` (a default and a maximum) and an opaque
// `cursor`, the key of the last row of the previous page; each page is one keyset query, so a
// page costs the same however far into the list it is. The answer carries `next`: the cursor of
// the following page, or null on the last.
import { z } from 'zod';
import { plainNumber } from '../../schemas/input';
import { ValidationError } from '../runtime/errors';

export const DEFAULT_PAGE_LIMIT = 100;
export const MAX_PAGE_LIMIT = 1000;

/** The query parameters every paged list reads. */
export const pageParams = {
	limit: z.preprocess(
		plainNumber,
		z
			.number({ error: 'Give the limit as a whole number.' })
			.int('Give the limit as a whole number.')
			.min(1, 'Ask for at least 1.')
			.max(MAX_PAGE_LIMIT, `Ask for at most ${MAX_PAGE_LIMIT}.`)
			.default(DEFAULT_PAGE_LIMIT)
	),
	cursor: z.string().max(500).optional()
};

export type CursorKey = Array<string | number>;

export function encodeCursor(key: CursorKey): string {
	return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The key inside a cursor this server gave, checked against the list's key shape. */
export function decodeCursor(
	raw: string | undefined,
	shape: Array<'string' | 'number'>
): CursorKey | null {
	if (raw === undefined || raw === '') return null;
	try {
		const key = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown;
		if (
			Array.isArray(key) &&
			key.length === shape.length &&
			key.every((v, i) => typeof v === shape[i])
		) {
			return key as CursorKey;
		}
	} catch {
		// fall through to the refusal
	}
	throw new ValidationError({
		cursor: ['This is not a cursor from this list; start again without one.']
	});
}

export interface Page<T> {
	items: T[];
	next: string | null;
}

/** A page from `limit + 1` rows: the extra row only says that another page follows. */
export function pageOf<R, T>(
	rows: R[],
	limit: number,
	keyOf: (r: R) => CursorKey,
	map: (r: R) => T
): Page<T> {
	const items = rows.slice(0, limit);
	const last = items[items.length - 1];
	return {
		items: items.map(map),
		next: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null
	};
}

import type { z } from 'zod';
import { fieldErrorsOf } from '../../schemas/parse';
import { ValidationError } from './errors';

/**
 * Parses service input or throws a ValidationError carrying each field's messages.
 *
 * Whatever the schema lets through, no accepted text may hold a NUL character: PostgreSQL's
 * text type cannot store one (the write would fail as a 500), and no clinical entry needs one.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
	const result = schema.safeParse(input);
	if (!result.success) throw new ValidationError(fieldErrorsOf(result.error));
	refuseNul(result.data);
	return result.data;
}

/** Throws a ValidationError naming every text under `value` that holds a NUL character. */
export function refuseNul(value: unknown): void {
	const withNul = nulFields(value, '');
	if (withNul.length > 0) {
		throw new ValidationError(
			Object.fromEntries(
				withNul.map((field) => [field, ['This holds a character that cannot be stored.']])
			)
		);
	}
}

/** The dotted paths of every string under `value` that holds a NUL character. */
function nulFields(value: unknown, path: string): string[] {
	if (typeof value === 'string') return value.includes('\u0000') ? [path] : [];
	if (Array.isArray(value)) {
		return value.flatMap((v, i) => nulFields(v, path ? `${path}.${i}` : String(i)));
	}
	if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
		return Object.entries(value).flatMap(([k, v]) => nulFields(v, path ? `${path}.${k}` : k));
	}
	return [];
}

import type { z } from 'zod';
import { fieldErrorsOf } from '../../schemas/parse';
import { ValidationError } from './errors';

/** Parses service input or throws a ValidationError carrying each field's messages. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
	const result = schema.safeParse(input);
	if (!result.success) throw new ValidationError(fieldErrorsOf(result.error));
	return result.data;
}

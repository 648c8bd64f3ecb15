import type { z } from 'zod';

export type FieldErrors = Record<string, string[]>;

/** Zod issues as field path → messages ("sites.0" for the first site, "" for the whole form). */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
	const out: FieldErrors = {};
	for (const issue of error.issues) {
		const key = issue.path.map(String).join('.');
		(out[key] ??= []).push(issue.message);
	}
	return out;
}

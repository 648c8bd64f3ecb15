// The client side of a failed form action: what `serviceAction` / `formAction` return through
// `fail(…)` (runtime/http.ts): the message, the field errors, what the user typed and, on a page
// with several forms, which of them failed. Pages read it here instead of each narrowing `form`.

export type FieldErrorMap = Record<string, string[] | undefined>;

export interface FailedForm<V = string | undefined> {
	message: string;
	errors: FieldErrorMap;
	values: Record<string, V>;
	which: string | null;
}

const isFailure = (form: unknown): form is FailedForm<unknown> =>
	typeof form === 'object' && form !== null && 'errors' in form;

/**
 * The failure in a page's `form` prop, or null when the last action did not fail; with `which`,
 * only when that form failed. `V` is the type of the typed-back values (`string | string[]` where a
 * form has multi-selects). The object is the action's own, so extra fields (warnings) stay on it.
 */
export function failureOf<V = string | undefined>(
	form: unknown,
	which?: string
): (FailedForm<V> & Record<string, unknown>) | null {
	if (!isFailure(form)) return null;
	if (which !== undefined && form.which !== which) return null;
	return form as FailedForm<V> & Record<string, unknown>;
}

/** A form's field errors and typed-back values: both empty unless that form failed. */
export function fieldsOf<V = string | undefined>(
	form: unknown,
	which?: string
): { errors: FieldErrorMap; values: Record<string, V> } {
	const failed = failureOf<V>(form, which);
	return { errors: failed?.errors ?? {}, values: failed?.values ?? {} };
}

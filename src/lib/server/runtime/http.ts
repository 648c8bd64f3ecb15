// Glue between SvelteKit's doors (pages, actions, API routes) and the services.
import { error, fail, redirect, type ActionFailure, type RequestEvent } from '@sveltejs/kit';
import type { Role } from '../../roles';
import { vigil } from './app';
import type { ServiceContext, UserActor } from './context';

export { recordId } from './params';
import { ServiceError, ValidationError, ConflictError, type FieldErrors } from './errors';

export function contextOf(event: Pick<RequestEvent, 'locals'>): ServiceContext {
	return {
		db: vigil().db,
		reads: vigil().reads,
		limits: vigil().config.limits,
		actor: event.locals.user ?? { kind: 'anonymous' },
		requestId: event.locals.requestId,
		now: () => new Date()
	};
}

/** For page loads: the signed-in user (optionally of these roles), else off to sign in. */
export function requirePageUser(
	event: Pick<RequestEvent, 'locals' | 'url'>,
	...roles: Role[]
): UserActor {
	const user = event.locals.user;
	if (!user) {
		redirect(303, `/login?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
	}
	if (roles.length > 0 && !roles.includes(user.role)) {
		error(403, 'Your role does not allow this page.');
	}
	return user;
}

/** Runs a service in a page load; expected failures become SvelteKit errors (404, 403). */
export async function loadOr404<T>(work: Promise<T>): Promise<T> {
	try {
		return await work;
	} catch (e) {
		if (e instanceof ServiceError) error(e.status, e.message);
		throw e;
	}
}

export interface FormFailure {
	message: string;
	errors: FieldErrors;
	values: Record<string, string | string[]>;
	/** Which of a page's forms failed, when it has several. */
	which: string | null;
}

const NEVER_ECHO = /password/i;

/** What the user typed, to put back in the form (never passwords). */
export function echo(form: FormData): Record<string, string | string[]> {
	const out: Record<string, string | string[]> = {};
	for (const key of new Set(form.keys())) {
		if (NEVER_ECHO.test(key)) continue;
		const all = form.getAll(key).filter((v): v is string => typeof v === 'string');
		out[key] = all.length === 1 ? all[0]! : all;
	}
	return out;
}

/**
 * Runs a form action's service call; a validation or access failure returns the field errors and
 * the typed values with the right status instead of throwing.
 */
export async function formAction<T>(
	form: FormData,
	work: () => Promise<T>,
	which: string | null = null
): Promise<T | ActionFailure<FormFailure>> {
	try {
		return await work();
	} catch (e) {
		if (e instanceof ServiceError) {
			const errors =
				e instanceof ValidationError || e instanceof ConflictError ? e.fieldErrors : {};
			return fail(e.status, { message: e.message, errors, values: echo(form), which });
		}
		throw e;
	}
}

type FormEvent = Pick<RequestEvent, 'request' | 'locals'>;

/**
 * A whole form action over a service: reads the posted form, runs `work` with the caller's service
 * context and returns its result; an expected failure comes back as `fail(…)` through
 * `formAction` (field errors, what the user typed, never a 500). Access is the service's first
 * step, so a caller without it hears 403/404 before any field is judged. `which` names the form on
 * a page with several; a function builds it from what was posted.
 */
export function serviceAction<E extends FormEvent, T>(
	which: string | null | ((form: FormData) => string),
	work: (form: FormData, ctx: ServiceContext, event: E) => Promise<T>
): (event: E) => Promise<T | ActionFailure<FormFailure>> {
	return async (event) => {
		const form = await event.request.formData();
		const name = typeof which === 'function' ? which(form) : which;
		return formAction(form, () => work(form, contextOf(event), event), name);
	};
}

// The JSON API's door to the services (api/v1): who is calling, JSON in and out, and every
// expected failure in one shape. Access checks stay in the services, as for pages and the CLI.
import { json, type RequestEvent, type RequestHandler } from '@sveltejs/kit';
import type { z } from 'zod';
import { vigil } from './app';
import type { ServiceContext, UserActor } from './context';
import {
	AuthenticationError,
	ConflictError,
	ForbiddenError,
	ServiceError,
	ValidationError,
	type FieldErrors,
	TooLargeError
} from './errors';
import { authenticateApiToken } from '../services/people/api-tokens';
import { ConfirmationNeeded } from '../services/capture/vitals';
import { parseInput } from './validate';

export { idParam } from './params';

export interface ApiFieldMessage {
	/** Dotted path into the request body ('readings.2.systolic'); '' for the body as a whole. */
	path: string;
	message: string;
}

export interface ApiErrorBody {
	error: {
		status: number;
		message: string;
		fields: ApiFieldMessage[];
		/** Soft-check warnings to confirm (409 on vitals): send again with `confirmed: true`. */
		warnings?: ApiFieldMessage[];
		/** Only for unexpected failures: quote it to the administrator, the details are logged. */
		requestId?: string;
	};
}

const TOKEN_REFUSED =
	'The API token is not valid, was revoked or has expired, or its account cannot sign in now.';
const NO_CREDENTIALS = 'Send an API token as "Authorization: Bearer <token>", or sign in first.';

function contextFor(event: RequestEvent, actor: UserActor): ServiceContext {
	const { db, reads, config } = vigil();
	return {
		db,
		reads,
		limits: config.limits,
		actor,
		requestId: event.locals.requestId,
		now: () => new Date()
	};
}

/**
 * The caller: a bearer token when the Authorization header is present (a bad one is refused, never
 * replaced by the cookie), else the signed-in session. A user still on a one-time password may
 * not use the API, as they may use no page but the password form.
 */
export async function apiContext(event: RequestEvent): Promise<ServiceContext> {
	const header = event.request.headers.get('authorization');
	if (header !== null) {
		const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
		const found = bearer
			? await authenticateApiToken(vigil().db, bearer, new Date(), {
					requestId: event.locals.requestId,
					method: event.request.method,
					path: event.url.pathname,
					lifetimeDays: vigil().config.apiTokenDays
				})
			: null;
		if (!found) throw new AuthenticationError(TOKEN_REFUSED);
		if (found.scope === 'read' && !['GET', 'HEAD'].includes(event.request.method)) {
			throw new ForbiddenError('This API token is read-only; make a write token to change data.');
		}
		return contextFor(event, found.actor);
	}
	const user = event.locals.user;
	if (!user) throw new AuthenticationError(NO_CREDENTIALS);
	if (event.locals.mustChangePassword) {
		throw new ForbiddenError('Change your one-time password before using the API.');
	}
	if (event.locals.mustEnrolSecondFactor) {
		throw new ForbiddenError('Set up two-step sign-in (/account/two-factor) before using the API.');
	}
	return contextFor(event, user);
}

/**
 * The JSON body of a write. SvelteKit's origin check covers only form content types, so a write
 * must say `content-type: application/json`: a browser cannot send that to another site without
 * a CORS preflight, which Vigil never answers, so a page elsewhere cannot ride on the session
 * cookie. Bearer tokens are not sent by browsers on their own; the rule holds for them too, so
 * one rule describes every write.
 */
export async function readJsonBody(event: RequestEvent): Promise<unknown> {
	const type = event.request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
	if (type !== 'application/json') {
		throw new ServiceError(415, 'Send the body as JSON with content-type: application/json.');
	}
	const text = await event.request.text();
	if (text.trim() === '') return {};
	try {
		return JSON.parse(text) as unknown;
	} catch {
		throw new ServiceError(400, 'The body is not valid JSON.');
	}
}

/** The query string through its Zod schema (the one the OpenAPI document shows). */
export function parseQuery<S extends z.ZodType>(schema: S, url: URL): z.infer<S> {
	return parseInput(schema, Object.fromEntries(url.searchParams));
}

/** A field of a JSON body that may be anything. */
export function fieldOf(body: unknown, key: string): unknown {
	return typeof body === 'object' && body !== null
		? (body as Record<string, unknown>)[key]
		: undefined;
}

const asList = (errors: FieldErrors | Record<string, string | undefined>): ApiFieldMessage[] =>
	Object.entries(errors).flatMap(([path, messages]) =>
		(Array.isArray(messages) ? messages : [messages ?? '']).map((message) => ({ path, message }))
	);

const NO_STORE = { 'cache-control': 'no-store' };

/** The adapter's refusal of a streamed body over the limit, met while reading it. */
function isTooLarge(e: unknown): boolean {
	return typeof e === 'object' && e !== null && 'status' in e && e.status === 413;
}

/** An expected failure as JSON with its status; anything else is logged and answered by id. */
export function errorResponse(e: unknown, event: RequestEvent): Response {
	if (e instanceof ServiceError) {
		const fields =
			e instanceof ValidationError || e instanceof ConflictError || e instanceof TooLargeError
				? asList(e.fieldErrors)
				: [];
		const body: ApiErrorBody = { error: { status: e.status, message: e.message, fields } };
		if (e instanceof ConfirmationNeeded) body.error.warnings = asList(e.warnings);
		const headers: Record<string, string> = { ...NO_STORE };
		if (e.status === 401) headers['www-authenticate'] = 'Bearer';
		return json(body, { status: e.status, headers });
	}
	const requestId = event.locals.requestId;
	if (isTooLarge(e)) {
		const message = 'The request body is larger than the limit (VIGIL_BODY_LIMIT_KB).';
		return json({ error: { status: 413, message, fields: [] } } satisfies ApiErrorBody, {
			status: 413,
			headers: NO_STORE
		});
	}
	console.error(
		`[vigil] API request ${requestId} ${event.request.method} ${event.url.pathname} failed:`,
		e
	);
	const message = 'Something went wrong on the server.';
	return json({ error: { status: 500, message, fields: [], requestId } } satisfies ApiErrorBody, {
		status: 500,
		headers: NO_STORE
	});
}

type Work = (ctx: ServiceContext, event: RequestEvent, body: unknown) => Promise<unknown>;

/**
 * One API endpoint: authenticate, read the JSON body of a write, run the service call, answer
 * with its result as JSON (201 for creations) or with the error shape above.
 */
export function apiRoute(work: Work, opts: { status?: 200 | 201 } = {}): RequestHandler {
	return async (event) => {
		try {
			const ctx = await apiContext(event);
			const writes = event.request.method !== 'GET' && event.request.method !== 'HEAD';
			const body = writes ? await readJsonBody(event) : undefined;
			const result = await work(ctx, event, body);
			return json(result, { status: opts.status ?? 200, headers: NO_STORE });
		} catch (e) {
			return errorResponse(e, event);
		}
	};
}

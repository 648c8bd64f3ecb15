import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { startVigil, StartupError, vigil } from '$lib/server/runtime/app';
import { SESSION_COOKIE, sessionIdFromToken } from '$lib/server/auth/token';
import { validateSessionToken } from '$lib/server/services/people/auth';
import { runSafetyClock } from '$lib/server/services/safety/safety-clock';
import { startCheckpointTimer } from '$lib/server/audit/checkpoints';
import { systemContext } from '$lib/server/runtime/context';
import type { Db } from '$lib/server/db';
import { startAlerts } from '$lib/server/runtime/alerts';
import { standingStudyLock } from '$lib/server/services/monitoring/freeze-lock';
import { clockLease, type ClockLease } from '$lib/server/runtime/clock-lease';
import { listenForChanges } from '$lib/server/runtime/change-listener';

export const init: ServerInit = async () => {
	try {
		const { db, opened, config } = await startVigil();
		const alerts = startAlerts(db, config.alerts);
		// Several instances on one PostgreSQL database: one runs the clock, all hear every write.
		startSafetyClock(db, clockLease(opened), config.safetyClockSeconds * 1000, alerts);
		if (opened.kind === 'postgres') listenForChanges(opened.url);
		startCheckpointTimer(db);
		// adapter-node's own entry (`node build`) closes the HTTP server on SIGTERM or SIGINT and then
		// emits this; the safety clock, the timers and the read workers would keep the process
		// alive, so it ends here once the reads and the database are closed (scripts/serve.js, what
		// `npm start` runs, exits on its own signal handler).
		process.once('sveltekit:shutdown', () => {
			const closed = Promise.allSettled([vigil().reads.close(), db.destroy()]);
			const deadline = new Promise((r) => setTimeout(r, 5_000).unref());
			void Promise.race([closed, deadline]).finally(() => process.exit(0));
		});
	} catch (e) {
		// Refuse to serve a database that failed its check or could not be migrated.
		console.error(e instanceof StartupError ? e.message : e);
		process.exit(1);
	}
};

/** Late readings and unacknowledged urgent flags are found by time passing, not by a save. */
function startSafetyClock(
	db: Db,
	lease: ClockLease,
	intervalMs: number,
	alerts: () => Promise<void>
): void {
	let running = false;
	const tick = async () => {
		if (running) return;
		running = true;
		try {
			if (!(await lease.acquire())) return;
			await runSafetyClock(systemContext(db, 'safety-clock'));
			await alerts();
		} catch (e) {
			console.error('[vigil] safety clock failed:', e);
		} finally {
			running = false;
		}
	};
	setInterval(() => void tick(), intervalMs).unref();
	void tick();
}

/** Every download made while the study is locked carries the lock time. */
async function stampLockedExport(response: Response): Promise<void> {
	if (!response.headers.get('content-disposition')?.startsWith('attachment')) return;
	const lock = await standingStudyLock(vigil().db);
	if (lock) response.headers.set('x-vigil-study-locked-at', lock.lockedAt);
}

/** Pages a user who must change their password may still reach. */
const ALLOWED_BEFORE_PASSWORD_CHANGE = ['/account/password', '/logout'];

/** Pages a user who must first set up a second factor may still reach. */
const ALLOWED_BEFORE_SECOND_FACTOR = ['/account/two-factor', '/logout'];

/** Anonymous writes are answered here, so every door says 401 the same way. */
const OPEN_TO_ANONYMOUS_WRITES = ['/login', '/login/code'];

/** One year with subdomains (ASVS 3.4.1), sent only when the site is served over https. */
const HSTS = 'max-age=31536000; includeSubDomains';

function jsonError(status: number, message: string, requestId: string): Response {
	return new Response(JSON.stringify({ error: { status, message, fields: [], requestId } }), {
		status,
		headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }
	});
}

/** A body declared larger than the limit is refused before it is read (streamed ones by the adapter). */
function tooLarge(request: Request, limit: number): boolean {
	const declared = Number(request.headers.get('content-length') ?? '0');
	return Number.isFinite(declared) && declared > limit;
}

export const handle: Handle = async ({ event, resolve }) => {
	const response = await respond({ event, resolve });
	setSecurityHeaders(response, event);
	return response;
};

const respond: Handle = async ({ event, resolve }) => {
	event.locals.requestId = crypto.randomUUID();
	event.locals.user = null;
	event.locals.mustChangePassword = false;
	event.locals.mustEnrolSecondFactor = false;
	const { config } = vigil();
	if (tooLarge(event.request, config.bodyLimitBytes)) {
		const kb = Math.round(config.bodyLimitBytes / 1024);
		return jsonError(413, `The request body is larger than ${kb} KB.`, event.locals.requestId);
	}
	// No address Vigil serves holds a NUL character, and PostgreSQL cannot compare text with one:
	// a filter carrying one is refused here rather than failing deep in a query.
	if (/%00/.test(event.url.pathname + event.url.search)) {
		return jsonError(
			400,
			'The address holds a character Vigil cannot read (%00).',
			event.locals.requestId
		);
	}

	const token = event.cookies.get(SESSION_COOKIE);
	if (token) {
		const { db } = vigil();
		const session = await validateSessionToken(db, token, config.session, Date.now());
		if (session) {
			// The session id marks a continuous period of signing (21 CFR 11.200(a)(1)).
			event.locals.user = { ...session.user, sessionId: sessionIdFromToken(token) };
			event.locals.mustChangePassword = session.mustChangePassword;
			event.locals.mustEnrolSecondFactor = session.mustEnrolSecondFactor;
		} else {
			event.cookies.delete(SESSION_COOKIE, { path: '/' });
		}
	}

	if (
		event.locals.mustChangePassword &&
		!ALLOWED_BEFORE_PASSWORD_CHANGE.includes(event.url.pathname) &&
		!event.url.pathname.startsWith('/api/')
	) {
		return new Response(null, { status: 303, headers: { location: '/account/password' } });
	}
	// A page's own data request (after a form on it succeeds) belongs to the page.
	const page = event.url.pathname.replace(/\/__data\.json$/, '');
	if (
		event.locals.mustEnrolSecondFactor &&
		!event.locals.mustChangePassword &&
		!ALLOWED_BEFORE_SECOND_FACTOR.includes(page) &&
		!event.url.pathname.startsWith('/api/')
	) {
		return new Response(null, { status: 303, headers: { location: '/account/two-factor' } });
	}

	const writes = !['GET', 'HEAD', 'OPTIONS'].includes(event.request.method);
	if (
		writes &&
		!event.locals.user &&
		!event.url.pathname.startsWith('/api/') &&
		!OPEN_TO_ANONYMOUS_WRITES.includes(event.url.pathname) &&
		// A participant answers a self-report through a one-time link, without an account.
		event.route.id !== '/epro/[token]'
	) {
		return jsonError(401, 'Please sign in.', event.locals.requestId);
	}

	// An API path no route matches (an unknown path, or an id that is not one) answers in the
	// API's JSON error shape, not with the HTML error page.
	if (event.route.id === null && event.url.pathname.startsWith('/api/')) {
		return jsonError(404, 'Not found.', event.locals.requestId);
	}

	const response = await resolve(event);
	await stampLockedExport(response);
	if (event.locals.user || token) {
		response.headers.set('Cache-Control', 'no-store');
	}
	return response;
};

function setSecurityHeaders(response: Response, event: Parameters<Handle>[0]['event']): void {
	response.headers.set('X-Content-Type-Options', 'nosniff');
	if (event.url.protocol === 'https:') response.headers.set('Strict-Transport-Security', HSTS);
	response.headers.set('Referrer-Policy', 'same-origin');
	response.headers.set('X-Frame-Options', 'DENY');
	response.headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
	if (event.locals.requestId) response.headers.set('X-Request-Id', event.locals.requestId);
}

export const handleError: HandleServerError = ({ error, event, status, message }) => {
	const id = event.locals.requestId ?? crypto.randomUUID();
	if (status === 404) return { message: 'Not found.', id };
	console.error(
		`[vigil] request ${id} ${event.request.method} ${event.url.pathname} failed:`,
		error
	);
	return { message: status >= 500 ? 'Something went wrong on the server.' : message, id };
};

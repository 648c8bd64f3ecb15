import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { redirect } from '@sveltejs/kit';
import { startVigil, StartupError, vigil } from '$lib/server/runtime/app';
import { SESSION_COOKIE, sessionIdFromToken } from '$lib/server/auth/token';
import { validateSessionToken } from '$lib/server/services/people/auth';
import { runSafetyClock } from '$lib/server/services/safety/safety-clock';
import { startCheckpointTimer } from '$lib/server/audit/checkpoints';
import { systemContext } from '$lib/server/runtime/context';
import type { Db } from '$lib/server/db';
import { startAlerts } from '$lib/server/runtime/alerts';

const SAFETY_CLOCK_INTERVAL_MS = 30_000;

export const init: ServerInit = async () => {
	try {
		const { db, config } = await startVigil();
		const alerts = startAlerts(db, config.alerts);
		startSafetyClock(db, alerts);
		startCheckpointTimer(db);
	} catch (e) {
		// Refuse to serve a database that failed its check or could not be migrated.
		console.error(e instanceof StartupError ? e.message : e);
		process.exit(1);
	}
};

/** Late readings and unacknowledged urgent flags are found by time passing, not by a save. */
function startSafetyClock(db: Db, alerts: () => Promise<void>): void {
	let running = false;
	const tick = async () => {
		if (running) return;
		running = true;
		try {
			await runSafetyClock(systemContext(db, 'safety-clock'));
			await alerts();
		} catch (e) {
			console.error('[vigil] safety clock failed:', e);
		} finally {
			running = false;
		}
	};
	setInterval(() => void tick(), SAFETY_CLOCK_INTERVAL_MS).unref();
	void tick();
}

/** Pages a user who must change their password may still reach. */
const ALLOWED_BEFORE_PASSWORD_CHANGE = ['/account/password', '/logout'];

export const handle: Handle = async ({ event, resolve }) => {
	event.locals.requestId = crypto.randomUUID();
	event.locals.user = null;
	event.locals.mustChangePassword = false;

	const token = event.cookies.get(SESSION_COOKIE);
	if (token) {
		const { db, config } = vigil();
		const session = await validateSessionToken(db, token, config.session, Date.now());
		if (session) {
			// The session id marks a continuous period of signing (21 CFR 11.200(a)(1)).
			event.locals.user = { ...session.user, sessionId: sessionIdFromToken(token) };
			event.locals.mustChangePassword = session.mustChangePassword;
		} else {
			event.cookies.delete(SESSION_COOKIE, { path: '/' });
		}
	}

	if (
		event.locals.mustChangePassword &&
		!ALLOWED_BEFORE_PASSWORD_CHANGE.includes(event.url.pathname) &&
		!event.url.pathname.startsWith('/api/')
	) {
		redirect(303, '/account/password');
	}

	const response = await resolve(event);
	response.headers.set('X-Content-Type-Options', 'nosniff');
	response.headers.set('Referrer-Policy', 'same-origin');
	response.headers.set('X-Frame-Options', 'DENY');
	response.headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
	response.headers.set('X-Request-Id', event.locals.requestId);
	if (event.locals.user || token) {
		response.headers.set('Cache-Control', 'no-store');
	}
	return response;
};

export const handleError: HandleServerError = ({ error, event, status, message }) => {
	const id = event.locals.requestId ?? crypto.randomUUID();
	if (status === 404) return { message: 'Not found.', id };
	console.error(
		`[vigil] request ${id} ${event.request.method} ${event.url.pathname} failed:`,
		error
	);
	return { message: status >= 500 ? 'Something went wrong on the server.' : message, id };
};

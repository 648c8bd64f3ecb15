// Live streams outlast the request that opened them, so whether the listener is still signed in
// is asked again while the stream runs: sign-out, expiry and a disabled account end it.
import type { RequestEvent } from '@sveltejs/kit';
import { SESSION_COOKIE } from '../auth/token';
import { findUserById } from '../repositories/users';
import { sessionStillValid } from '../services/people/auth';
import { vigil } from './app';

export function stillSignedIn(
	event: Pick<RequestEvent, 'locals'> & { cookies?: RequestEvent['cookies'] }
): () => Promise<boolean> {
	const { db, config } = vigil();
	const token = event.cookies?.get(SESSION_COOKIE);
	const userId = event.locals.user?.id;
	return async () => {
		if (token) return sessionStillValid(db, token, config.session, Date.now());
		// Callers without a cookie (tests of the handler) are held to their account alone.
		if (userId === undefined) return false;
		const user = await findUserById(db, userId);
		return Boolean(user && !user.disabled_at);
	};
}

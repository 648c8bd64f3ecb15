import type { Cookies } from '@sveltejs/kit';
import { SESSION_COOKIE } from '../auth/token';

/** The session cookie: HttpOnly, SameSite=Lax, Secure whenever the site is served over https. */
export function setSessionCookie(cookies: Cookies, url: URL, token: string): void {
	cookies.set(SESSION_COOKIE, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: url.protocol === 'https:'
	});
}

export function clearSessionCookie(cookies: Cookies): void {
	cookies.delete(SESSION_COOKIE, { path: '/' });
}

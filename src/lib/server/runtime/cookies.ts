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

/** Carries a sign-in from the password step to the code step (/login/code); five minutes. */
export const SIGN_IN_CHALLENGE_COOKIE = 'vigil_sign_in';

export function setSignInChallengeCookie(cookies: Cookies, url: URL, token: string): void {
	cookies.set(SIGN_IN_CHALLENGE_COOKIE, token, {
		path: '/login',
		httpOnly: true,
		sameSite: 'lax',
		secure: url.protocol === 'https:',
		maxAge: 5 * 60
	});
}

export function clearSignInChallengeCookie(cookies: Cookies): void {
	cookies.delete(SIGN_IN_CHALLENGE_COOKIE, { path: '/login' });
}

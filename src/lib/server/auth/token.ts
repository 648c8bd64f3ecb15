// Session tokens in Lucia's design: 20 random bytes, base32 in the cookie, only SHA-256 stored.
import { createHash } from 'node:crypto';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';

export const SESSION_COOKIE = 'vigil_session';

export function generateSessionToken(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

/** The SHA-256 of the token (its UTF-8 bytes) in hex; Node's own hash, run with every request. */
export function sessionIdFromToken(token: string): string {
	return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A one-time password an admin hands over; the user must change it at first sign-in. */
export function generateOneTimePassword(): string {
	const bytes = new Uint8Array(10);
	crypto.getRandomValues(bytes);
	// 16 base32 characters, grouped for reading aloud: xxxx-xxxx-xxxx-xxxx
	return encodeBase32LowerCaseNoPadding(bytes).match(/.{4}/g)!.join('-');
}

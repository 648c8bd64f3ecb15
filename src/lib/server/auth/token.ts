// Session tokens in Lucia's design: 20 random bytes, base32 in the cookie, only SHA-256 stored.
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';

export const SESSION_COOKIE = 'vigil_session';

export function generateSessionToken(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

export function sessionIdFromToken(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

/** A one-time password an admin hands over; the user must change it at first sign-in. */
export function generateOneTimePassword(): string {
	const bytes = new Uint8Array(10);
	crypto.getRandomValues(bytes);
	// 16 base32 characters, grouped for reading aloud: xxxx-xxxx-xxxx-xxxx
	return encodeBase32LowerCaseNoPadding(bytes).match(/.{4}/g)!.join('-');
}

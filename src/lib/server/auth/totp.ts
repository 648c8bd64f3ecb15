// The second factor: RFC 6238 time-based codes (30-second steps, 6 digits, HMAC-SHA1: what every
// authenticator app reads from an otpauth:// QR code) and one-time recovery codes. No clock of its
// own: callers pass `now`, so tests can move time.
import { sha256 } from '@oslojs/crypto/sha2';
import {
	decodeBase32IgnorePadding,
	encodeBase32LowerCaseNoPadding,
	encodeBase32UpperCaseNoPadding,
	encodeHexLowerCase
} from '@oslojs/encoding';
import { createTOTPKeyURI, generateHOTP } from '@oslojs/otp';

/** RFC 6238 §5.2: a 30-second time step is the recommended default. */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** One step either side is accepted, for clocks that drift (RFC 6238 §5.2, "at most one"). */
const DRIFT_STEPS = 1;
/** Recovery codes given at enrolment; each works once. */
export const RECOVERY_CODE_COUNT = 10;

/** A new 160-bit key (RFC 4226 §4 R6 recommends 160 bits), base32 as apps expect it. */
export function generateTotpSecret(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32UpperCaseNoPadding(bytes);
}

/** The otpauth:// URI an authenticator app reads from the QR code. */
export function totpKeyUri(accountName: string, secret: string): string {
	return createTOTPKeyURI(
		'Vigil',
		accountName,
		decodeBase32IgnorePadding(secret),
		TOTP_PERIOD_SECONDS,
		TOTP_DIGITS
	);
}

export function totpStep(nowMs: number): number {
	return Math.floor(nowMs / 1000 / TOTP_PERIOD_SECONDS);
}

/** The code an app shows for this secret at this time (tests, and nothing else, need it). */
export function totpCodeAt(secret: string, nowMs: number): string {
	return generateHOTP(decodeBase32IgnorePadding(secret), BigInt(totpStep(nowMs)), TOTP_DIGITS);
}

export function looksLikeTotpCode(code: string): boolean {
	return /^\d{6}$/.test(code.replace(/\s/g, ''));
}

/**
 * The time step a code belongs to, if it is valid now (±1 step) and newer than the last step
 * accepted for this user (so a code seen over a shoulder cannot be used again); else null.
 */
export function acceptedTotpStep(
	secret: string,
	code: string,
	nowMs: number,
	lastUsedStep: number | null
): number | null {
	const digits = code.replace(/\s/g, '');
	if (!/^\d{6}$/.test(digits)) return null;
	const key = decodeBase32IgnorePadding(secret);
	const now = totpStep(nowMs);
	for (let step = now - DRIFT_STEPS; step <= now + DRIFT_STEPS; step++) {
		if (lastUsedStep !== null && step <= lastUsedStep) continue;
		if (timingSafeEqual(generateHOTP(key, BigInt(step), TOTP_DIGITS), digits)) return step;
	}
	return null;
}

function timingSafeEqual(a: string, b: string): boolean {
	if (a.length !== b.length) return false;
	let diff = 0;
	for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
	return diff === 0;
}

/** Ten codes of 80 random bits, grouped for reading: xxxx-xxxx-xxxx-xxxx. */
export function generateRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
	return Array.from({ length: count }, () => {
		const bytes = new Uint8Array(10);
		crypto.getRandomValues(bytes);
		return encodeBase32LowerCaseNoPadding(bytes).match(/.{4}/g)!.join('-');
	});
}

/** Codes are random, so a fast hash is enough; case, spaces and dashes do not matter. */
export function hashRecoveryCode(code: string): string {
	const normal = code.toLowerCase().replace(/[\s-]/g, '');
	return encodeHexLowerCase(sha256(new TextEncoder().encode(normal)));
}

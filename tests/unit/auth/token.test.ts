import { sha256 } from '@oslojs/crypto/sha2';
import { decodeBase32IgnorePadding, encodeHexLowerCase } from '@oslojs/encoding';
import { describe, expect, it } from 'vitest';
import {
	generateOneTimePassword,
	generateSessionToken,
	sessionIdFromToken
} from '../../../src/lib/server/auth/token';
import { passwordProblems } from '../../../src/lib/server/auth/policy';

describe('session tokens', () => {
	it('carry 20 random bytes', () => {
		const token = generateSessionToken();
		expect(decodeBase32IgnorePadding(token.toUpperCase())).toHaveLength(20);
	});
	it('are never repeated', () => {
		const tokens = new Set(Array.from({ length: 2000 }, generateSessionToken));
		expect(tokens.size).toBe(2000);
	});
	it('are stored only as their SHA-256', () => {
		const token = generateSessionToken();
		const id = sessionIdFromToken(token);
		expect(id).toBe(encodeHexLowerCase(sha256(new TextEncoder().encode(token))));
		expect(id).not.toContain(token);
		expect(id).toMatch(/^[0-9a-f]{64}$/);
	});
});

describe('one-time passwords', () => {
	it('are 16 base32 characters in groups of four and pass the password policy', () => {
		const otp = generateOneTimePassword();
		expect(otp).toMatch(/^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
		expect(passwordProblems(otp)).toEqual([]);
	});
});

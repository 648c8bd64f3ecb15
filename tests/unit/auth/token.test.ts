import { createHash } from 'node:crypto';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
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
		// Checked against another implementation (Node's) and a published vector (FIPS 180-2 "abc").
		expect(id).toBe(createHash('sha256').update(token, 'utf8').digest('hex'));
		expect(sessionIdFromToken('abc')).toBe(
			'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
		);
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

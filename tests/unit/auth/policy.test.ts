import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	DEFAULT_SESSION_POLICY,
	passwordProblems,
	sessionExpiresAt,
	sessionState,
	shouldRecordActivity,
	throttleDelayMs,
	throttleWaitMs
} from '../../../src/lib/server/auth/policy';

const MIN = 60_000;
const HOUR = 60 * MIN;
const policy = DEFAULT_SESSION_POLICY;

describe('session expiry', () => {
	const start = 1_700_000_000_000;
	it('defaults to 30 minutes idle and 12 hours absolute', () => {
		expect(policy).toEqual({ idleMs: 30 * MIN, absoluteMs: 12 * HOUR });
	});
	it('is valid just before the idle limit and expired at it', () => {
		const s = { created_at: start, last_active_at: start };
		expect(sessionState(s, start + 30 * MIN - 1, policy)).toBe('valid');
		expect(sessionState(s, start + 30 * MIN, policy)).toBe('idle-expired');
	});
	it('ends at 12 hours even when active a second ago', () => {
		const s = { created_at: start, last_active_at: start + 12 * HOUR - 1000 };
		expect(sessionState(s, start + 12 * HOUR - 1, policy)).toBe('valid');
		expect(sessionState(s, start + 12 * HOUR, policy)).toBe('absolute-expired');
	});
	it('honours a configured policy', () => {
		const short = { idleMs: 5 * MIN, absoluteMs: HOUR };
		const s = { created_at: start, last_active_at: start };
		expect(sessionState(s, start + 5 * MIN, short)).toBe('idle-expired');
	});
	it('reports the earlier of the two limits as the expiry', () => {
		fc.assert(
			fc.property(fc.nat(12 * HOUR), (activeAfter) => {
				const s = { created_at: start, last_active_at: start + activeAfter };
				const at = sessionExpiresAt(s, policy);
				expect(sessionState(s, at - 1, policy)).toBe('valid');
				expect(sessionState(s, at, policy)).not.toBe('valid');
			})
		);
	});
	it('records activity at most once a minute', () => {
		expect(shouldRecordActivity({ last_active_at: start }, start + MIN - 1)).toBe(false);
		expect(shouldRecordActivity({ last_active_at: start }, start + MIN)).toBe(true);
	});
});

describe('sign-in throttling', () => {
	it('allows five failures without delay, then doubles from one second', () => {
		expect([0, 1, 4].map((n) => throttleDelayMs(n))).toEqual([0, 0, 0]);
		expect(throttleDelayMs(5)).toBe(1000);
		expect(throttleDelayMs(6)).toBe(2000);
		expect(throttleDelayMs(9)).toBe(16000);
	});
	it('never waits longer than 15 minutes and never shrinks with more failures', () => {
		fc.assert(
			fc.property(fc.nat(1000), (n) => {
				expect(throttleDelayMs(n)).toBeLessThanOrEqual(15 * MIN);
				expect(throttleDelayMs(n + 1)).toBeGreaterThanOrEqual(throttleDelayMs(n));
			})
		);
		expect(throttleDelayMs(1000)).toBe(15 * MIN);
	});
	it('counts the wait from the last failure', () => {
		const account = { failed_sign_ins: 6, last_failed_sign_in_at: 10_000 };
		expect(throttleWaitMs(account, 10_000)).toBe(2000);
		expect(throttleWaitMs(account, 11_999)).toBe(1);
		expect(throttleWaitMs(account, 12_000)).toBe(0);
		expect(throttleWaitMs({ failed_sign_ins: 4, last_failed_sign_in_at: 10_000 }, 10_000)).toBe(0);
	});
});

describe('password policy', () => {
	it('needs at least 12 characters', () => {
		expect(passwordProblems('abcdefghijk')).toEqual(['Use at least 12 characters.']);
		expect(passwordProblems('tundra-okapi')).toEqual([]);
	});
	it('refuses a common or sequential password however long', () => {
		for (const p of ['abcdefghijkl', 'password1234', 'Password123!', '123456789012']) {
			expect(passwordProblems(p).join(' '), p).toMatch(/too common or easy to guess/);
		}
	});
	it('counts characters, not bytes', () => {
		expect(passwordProblems('blåbær-sløyd')).toEqual([]);
	});
	it('refuses passwords made of the email name, surrounding spaces, or too few symbols', () => {
		expect(passwordProblems('nina.newcomer2026', { email: 'Nina.Newcomer@x.org' })).toContain(
			'Do not use your email name in the password.'
		);
		expect(passwordProblems(' leading-space-pw')).toContain('Do not start or end with a space.');
		expect(passwordProblems('aaaaaaaaaaaaaaab')).toContain(
			'Use more than three different characters.'
		);
	});
	it('refuses over-long passwords', () => {
		expect(passwordProblems('x1y2'.repeat(65))).toContain('Use at most 256 characters.');
	});
});

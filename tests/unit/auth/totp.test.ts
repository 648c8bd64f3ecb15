// TOTP against RFC 6238's own test vectors (Appendix B, SHA-1, truncated to the 6 digits apps
// show), and the acceptance window as properties: one step of drift either way, never two, never
// a step at or before the last one used.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	acceptedTotpStep,
	generateRecoveryCodes,
	hashRecoveryCode,
	totpCodeAt,
	totpKeyUri,
	totpStep
} from '../../../src/lib/server/auth/totp';

// Base32 of the ASCII key "12345678901234567890" used throughout RFC 6238 Appendix B.
const RFC_KEY = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('codes', () => {
	it.each([
		[59, '287082'],
		[1111111109, '081804'],
		[1111111111, '050471'],
		[1234567890, '005924'],
		[2000000000, '279037'],
		[20000000000, '353130']
	])('at %i s the code is %s (RFC 6238 Appendix B)', (seconds, code) => {
		expect(totpCodeAt(RFC_KEY, seconds * 1000)).toBe(code);
	});

	it('puts the key, issuer, period and digits in the otpauth URI', () => {
		const uri = totpKeyUri('ada@site.org', RFC_KEY);
		expect(uri).toMatch(/^otpauth:\/\/totp\/Vigil:ada%40site\.org\?/);
		expect(uri).toContain(`secret=${RFC_KEY}`);
		expect(uri).toContain('period=30');
		expect(uri).toContain('digits=6');
	});
});

describe('the acceptance window', () => {
	const time = fc.integer({ min: 1_000_000, max: 4_000_000_000 }).map((s) => s * 1000);

	it('accepts the code of the current step and one either side, naming that step', () => {
		fc.assert(
			fc.property(time, fc.integer({ min: -1, max: 1 }), (now, offset) => {
				const when = now + offset * 30_000;
				expect(acceptedTotpStep(RFC_KEY, totpCodeAt(RFC_KEY, when), now, null)).toBe(
					totpStep(when)
				);
			})
		);
	});

	it('refuses a code two or more steps away (unless it happens to equal a nearby one)', () => {
		fc.assert(
			fc.property(time, fc.integer({ min: 2, max: 100 }), fc.boolean(), (now, k, late) => {
				const when = now + (late ? -k : k) * 30_000;
				const code = totpCodeAt(RFC_KEY, when);
				const nearby = [-1, 0, 1].map((d) => totpCodeAt(RFC_KEY, now + d * 30_000));
				fc.pre(!nearby.includes(code));
				expect(acceptedTotpStep(RFC_KEY, code, now, null)).toBeNull();
			})
		);
	});

	it('never accepts a step at or before the last one used', () => {
		fc.assert(
			fc.property(time, fc.integer({ min: -1, max: 1 }), (now, offset) => {
				const when = now + offset * 30_000;
				const step = totpStep(when);
				expect(acceptedTotpStep(RFC_KEY, totpCodeAt(RFC_KEY, when), now, step)).toBeNull();
			})
		);
	});

	it('refuses anything but six digits', () => {
		for (const bad of ['', '12345', '1234567', 'abcdef', '12 34 5x']) {
			expect(acceptedTotpStep(RFC_KEY, bad, 59_000, null)).toBeNull();
		}
		expect(acceptedTotpStep(RFC_KEY, '287 082', 59_000, null)).toBe(1);
	});
});

describe('recovery codes', () => {
	it('are ten distinct 80-bit codes whose hash ignores case, spaces and dashes', () => {
		const codes = generateRecoveryCodes();
		expect(codes).toHaveLength(10);
		expect(new Set(codes).size).toBe(10);
		for (const c of codes) expect(c).toMatch(/^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
		const c = codes[0]!;
		expect(hashRecoveryCode(c.toUpperCase().replace(/-/g, ' '))).toBe(hashRecoveryCode(c));
		expect(hashRecoveryCode(c)).not.toBe(hashRecoveryCode(codes[1]!));
	});
});

import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../../src/lib/server/auth/password';

describe('password hashing', () => {
	it('uses argon2id with m=19456, t=2, p=1 (OWASP minimum) and a fresh salt each time', async () => {
		const a = await hashPassword('correct-horse-battery');
		const b = await hashPassword('correct-horse-battery');
		expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
		expect(a).not.toBe(b);
	});
	it('verifies the right password only, and a malformed hash is simply "no"', async () => {
		const hash = await hashPassword('correct-horse-battery');
		expect(await verifyPassword(hash, 'correct-horse-battery')).toBe(true);
		expect(await verifyPassword(hash, 'correct-horse-batterY')).toBe(false);
		expect(await verifyPassword('not-a-hash', 'anything')).toBe(false);
	});
});

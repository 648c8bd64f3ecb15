import { beforeEach, describe, expect, it, vi } from 'vitest';

// Count real password verifications, to prove throttled attempts do no hashing.
vi.mock('../../src/lib/server/auth/password', async (importOriginal) => {
	const real = await importOriginal<typeof import('../../src/lib/server/auth/password')>();
	return { ...real, verifyPassword: vi.fn(real.verifyPassword) };
});

import { verifyPassword } from '../../src/lib/server/auth/password';
import { DEFAULT_SESSION_POLICY } from '../../src/lib/server/auth/policy';
import { AuthenticationError, ValidationError } from '../../src/lib/server/runtime/errors';
import {
	changeOwnPassword,
	signIn as signInStep,
	signOut,
	SIGN_IN_FAILED,
	validateSessionToken
} from '../../src/lib/server/services/people/auth';
import { disableUser } from '../../src/lib/server/services/people/users';
import { actorFor, passwordOnly, PASSWORD, type TestDb, freshDbEach } from '../helpers/db';

/** These users have no second factor: a right password finishes the sign-in. */
const signIn = (...args: Parameters<typeof signInStep>) => signInStep(...args).then(passwordOnly);

let t: TestDb;
let clock: number;
const now = () => new Date(clock);
const anon = () => ({ db: t.db, actor: { kind: 'anonymous' as const }, requestId: 'r', now });

async function auditActions(): Promise<string[]> {
	const rows = await t.db.selectFrom('audit_event').select('action').orderBy('seq').execute();
	return rows.map((r) => r.action);
}

freshDbEach((db) => (t = db));
beforeEach(() => {
	clock = Date.UTC(2026, 10, 29, 9, 0, 0);
	vi.mocked(verifyPassword).mockClear();
});

describe('signing in', () => {
	it('gives a new token at every sign-in and audits it', async () => {
		const u = await actorFor(t, 'coordinator', ['A1'], now);
		const first = await signIn(anon(), { email: u.actor.email, password: PASSWORD });
		const second = await signIn(anon(), { email: u.actor.email.toUpperCase(), password: PASSWORD });
		expect(first.token).not.toBe(second.token);
		expect(first.user.siteIds).toEqual([t.siteA]);
		expect((await auditActions()).filter((a) => a === 'auth.sign_in')).toHaveLength(2);
		const stored = await t.db.selectFrom('auth_session').select('id').execute();
		expect(stored.map((s) => s.id)).not.toContain(first.token);
	});

	it('answers a wrong password, an unknown email and a disabled account alike, and audits each', async () => {
		const u = await actorFor(t, 'coordinator', ['A1'], now);
		const off = await actorFor(t, 'coordinator', ['A1'], now);
		await disableUser(t.system, off.actor.id, { reason: 'left the study' });
		const attempts = [
			{ email: u.actor.email, password: 'wrong-password-1' },
			{ email: 'nobody@test.example', password: PASSWORD },
			{ email: off.actor.email, password: PASSWORD }
		];
		for (const attempt of attempts) {
			const e = await signIn(anon(), attempt).catch((x: unknown) => x);
			expect(e).toBeInstanceOf(AuthenticationError);
			expect((e as Error).message).toBe(SIGN_IN_FAILED);
		}
		const failed = await t.db
			.selectFrom('audit_event')
			.select('new_values')
			.where('action', '=', 'auth.sign_in_failed')
			.execute();
		expect(failed.map((f) => JSON.parse(f.new_values!).cause)).toEqual([
			'wrong-password',
			'unknown-email',
			'disabled'
		]);
	});

	it('empty fields are a validation error, not a sign-in attempt', async () => {
		await expect(signIn(anon(), { email: '', password: '' })).rejects.toBeInstanceOf(
			ValidationError
		);
		expect(await auditActions()).not.toContain('auth.sign_in_failed');
	});

	it('throttles an account after five failures, without hashing, with a growing delay', async () => {
		const u = await actorFor(t, 'coordinator', ['A1'], now);
		for (let i = 0; i < 5; i++) {
			await expect(
				signIn(anon(), { email: u.actor.email, password: 'wrong-password-x' })
			).rejects.toThrow(SIGN_IN_FAILED);
		}
		expect(verifyPassword).toHaveBeenCalledTimes(5);
		// Inside the 1 s delay even the right password is refused, and nothing is hashed.
		clock += 500;
		await expect(signIn(anon(), { email: u.actor.email, password: PASSWORD })).rejects.toThrow(
			SIGN_IN_FAILED
		);
		expect(verifyPassword).toHaveBeenCalledTimes(5);
		expect(await auditActions()).toContain('auth.sign_in_throttled');
		// After it, a sixth failure doubles the delay to 2 s.
		clock += 600;
		await expect(
			signIn(anon(), { email: u.actor.email, password: 'wrong-password-x' })
		).rejects.toThrow();
		clock += 1500;
		await expect(signIn(anon(), { email: u.actor.email, password: PASSWORD })).rejects.toThrow();
		clock += 600;
		const ok = await signIn(anon(), { email: u.actor.email, password: PASSWORD });
		expect(ok.token).toBeTruthy();
		// Success resets this client's count at this account.
		const rows = await t.db.selectFrom('sign_in_throttle').selectAll().execute();
		expect(rows.map((r) => r.key)).toEqual(['address:unknown']);
	});

	it('counts concurrent wrong passwords one by one: 20 at once, 5 checked', async () => {
		const u = await actorFor(t, 'coordinator', ['A1'], now);
		const attempts = Array.from({ length: 20 }, () =>
			signIn(
				anon(),
				{ email: u.actor.email, password: 'wrong-password-x' },
				{ address: '10.0.0.9' }
			)
				.then(() => 'signed in')
				.catch((e: Error) => e.message)
		);
		expect(new Set(await Promise.all(attempts))).toEqual(new Set([SIGN_IN_FAILED]));
		expect(verifyPassword).toHaveBeenCalledTimes(5);
		const throttled = (await auditActions()).filter((a) => a === 'auth.sign_in_throttled');
		expect(throttled).toHaveLength(15);
	});

	it('one client cannot lock the account for another, nor try many accounts', async () => {
		const u = await actorFor(t, 'coordinator', ['A1'], now);
		const attacker = { address: '203.0.113.7' };
		for (let i = 0; i < 8; i++) {
			await signIn(anon(), { email: u.actor.email, password: 'guess-guess-1' }, attacker).catch(
				() => null
			);
		}
		await expect(
			signIn(anon(), { email: u.actor.email, password: PASSWORD }, attacker)
		).rejects.toThrow(SIGN_IN_FAILED);
		// The owner, at the ward's workstation, signs in at once.
		const owner = await signIn(
			anon(),
			{ email: u.actor.email, password: PASSWORD },
			{ address: '10.1.2.3' }
		);
		expect(owner.token).toBeTruthy();

		// Across accounts: after 50 failures from one address, that address waits, others do not.
		const sprayer = { address: '198.51.100.4' };
		for (let i = 0; i < 50; i++) {
			await signIn(
				anon(),
				{ email: `spray${i}@test.example`, password: 'Winter2026!!' },
				sprayer
			).catch(() => null);
		}
		const checked = vi.mocked(verifyPassword).mock.calls.length;
		await expect(
			signIn(anon(), { email: u.actor.email, password: PASSWORD }, sprayer)
		).rejects.toThrow(SIGN_IN_FAILED);
		expect(vi.mocked(verifyPassword).mock.calls.length).toBe(checked);
		const other = await signIn(
			anon(),
			{ email: u.actor.email, password: PASSWORD },
			{ address: '10.1.2.4' }
		);
		expect(other.token).toBeTruthy();
	});

	it('a throttled answer takes as long as the password check it skips', async () => {
		const u = await actorFor(t, 'coordinator', ['A1'], now);
		// How long the password checks themselves take (the throttled answer is padded to them; a
		// checked answer adds its database work on top, which differs between the databases).
		const real = vi.mocked(verifyPassword).getMockImplementation()!;
		const checkMs: number[] = [];
		vi.mocked(verifyPassword).mockImplementation(async (hash, password) => {
			const started = performance.now();
			try {
				return await real(hash, password);
			} finally {
				checkMs.push(performance.now() - started);
			}
		});
		const timed = async () => {
			const started = performance.now();
			await signIn(anon(), { email: u.actor.email, password: 'wrong-password-x' }).catch(
				() => null
			);
			return performance.now() - started;
		};
		try {
			for (let i = 0; i < 5; i++) await timed();
			const throttled: number[] = [];
			for (let i = 0; i < 3; i++) throttled.push(await timed());
			expect(verifyPassword).toHaveBeenCalledTimes(5);
			const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
			expect(median(throttled)).toBeGreaterThan(median(checkMs) * 0.8);
		} finally {
			vi.mocked(verifyPassword).mockImplementation(real);
		}
	});
});

describe('sessions', () => {
	const policy = DEFAULT_SESSION_POLICY;
	async function session() {
		const u = await actorFor(t, 'investigator', ['A1', 'B1'], now);
		const { token } = await signIn(anon(), { email: u.actor.email, password: PASSWORD });
		return { u, token };
	}

	it('stays valid while used and ends after 30 idle minutes', async () => {
		const { token } = await session();
		clock += 29 * 60_000;
		expect(await validateSessionToken(t.db, token, policy, clock)).not.toBeNull();
		clock += 29 * 60_000; // active a moment ago, so still valid
		expect(await validateSessionToken(t.db, token, policy, clock)).not.toBeNull();
		clock += 30 * 60_000;
		expect(await validateSessionToken(t.db, token, policy, clock)).toBeNull();
		expect(await auditActions()).toContain('auth.session_expired');
		// Gone for good, even if time went back.
		clock -= 30 * 60_000;
		expect(await validateSessionToken(t.db, token, policy, clock)).toBeNull();
	});

	it('ends 12 hours after sign-in however active', async () => {
		const { token } = await session();
		const start = clock;
		// Every 25 minutes for 11 h 40 min: never idle long enough to expire.
		for (let i = 0; i < 28; i++) {
			clock += 25 * 60_000;
			expect(await validateSessionToken(t.db, token, policy, clock)).not.toBeNull();
		}
		clock = start + 12 * 3_600_000 - 1;
		expect(await validateSessionToken(t.db, token, policy, clock)).not.toBeNull();
		clock += 1;
		expect(await validateSessionToken(t.db, token, policy, clock)).toBeNull();
		const expired = await t.db
			.selectFrom('audit_event')
			.select('new_values')
			.where('action', '=', 'auth.session_expired')
			.executeTakeFirstOrThrow();
		expect(JSON.parse(expired.new_values!).cause).toBe('absolute-expired');
	});

	it('sign-out ends every session of the user', async () => {
		const { u, token } = await session();
		const other = await signIn(anon(), { email: u.actor.email, password: PASSWORD });
		await signOut({ ...u, actor: other.user });
		expect(await validateSessionToken(t.db, token, policy, clock)).toBeNull();
		expect(await validateSessionToken(t.db, other.token, policy, clock)).toBeNull();
	});

	it('disabling a user ends their sessions', async () => {
		const { u, token } = await session();
		await disableUser(t.system, u.actor.id, { reason: 'left' });
		expect(await validateSessionToken(t.db, token, policy, clock)).toBeNull();
	});

	it('a password change ends all sessions and starts one new one', async () => {
		const { u, token } = await session();
		await expect(
			changeOwnPassword(u, { currentPassword: 'wrong', newPassword: 'x', confirmPassword: 'x' })
		).rejects.toBeInstanceOf(ValidationError);
		const fresh = await changeOwnPassword(u, {
			currentPassword: PASSWORD,
			newPassword: 'another-long-passphrase',
			confirmPassword: 'another-long-passphrase'
		});
		expect(await validateSessionToken(t.db, token, policy, clock)).toBeNull();
		expect(await validateSessionToken(t.db, fresh.token, policy, clock)).not.toBeNull();
		await expect(signIn(anon(), { email: u.actor.email, password: PASSWORD })).rejects.toThrow();
		await signIn(anon(), { email: u.actor.email, password: 'another-long-passphrase' });
	});

	it('refuses common passwords by the estimator, not a hand list', async () => {
		const u = await actorFor(t, 'coordinator', ['A1'], now);
		for (const newPassword of ['password1234', 'Password123!', 'qwertyuiop12', 'iloveyou2026']) {
			const e = await changeOwnPassword(u, {
				currentPassword: PASSWORD,
				newPassword,
				confirmPassword: newPassword
			}).catch((x: unknown) => x);
			expect(e, newPassword).toBeInstanceOf(ValidationError);
			expect((e as ValidationError).fieldErrors.newPassword?.join(' ')).toMatch(/too common/);
		}
	});

	it('a new password must meet the policy and differ from the old one', async () => {
		const { u } = await session();
		const e = await changeOwnPassword(u, {
			currentPassword: PASSWORD,
			newPassword: PASSWORD,
			confirmPassword: PASSWORD
		}).catch((x: unknown) => x);
		expect((e as ValidationError).fieldErrors.newPassword).toContain(
			'Choose a password different from the current one.'
		);
	});
});

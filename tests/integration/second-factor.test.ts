// Two-step sign-in (RFC 6238 TOTP) against a real database with a clock the test moves: enrolment
// with a confirming code, the code step after the password, replay and drift limits, recovery
// codes that work once, the requirement by role, the administrator's reset, and the audit trail.
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SESSION_POLICY, FREE_FAILED_SIGN_INS } from '../../src/lib/server/auth/policy';
import { totpCodeAt } from '../../src/lib/server/auth/totp';
import { ForbiddenError, ValidationError } from '../../src/lib/server/runtime/errors';
import type { ServiceContext, UserActor } from '../../src/lib/server/runtime/context';
import { signIn, validateSessionToken } from '../../src/lib/server/services/people/auth';
import {
	confirmSecondFactorEnrolment,
	renewRecoveryCodes,
	resetSecondFactor,
	secondFactorStatus,
	startSecondFactorEnrolment
} from '../../src/lib/server/services/people/second-factor';
import {
	ChallengeGoneError,
	CHALLENGE_MS,
	CODE_FAILED,
	completeSecondFactor
} from '../../src/lib/server/services/people/sign-in-code';
import { verifyAuditChain } from '../../src/lib/server/services/audit/audit';
import { actorFor, passwordOnly, PASSWORD, type TestDb, freshDbEach } from '../helpers/db';

let t: TestDb;
let clock: number;
const now = () => new Date(clock);
const anon = (): ServiceContext => ({
	db: t.db,
	actor: { kind: 'anonymous' },
	requestId: 'r',
	now
});

freshDbEach((db) => (t = db));
beforeEach(() => {
	// Mid-step, so ±30 s moves exactly one step either way.
	clock = Date.UTC(2026, 11, 6, 9, 0, 15);
});

async function actions(userId: number): Promise<string[]> {
	const rows = await t.db
		.selectFrom('audit_event')
		.select('action')
		.where('entity_type', '=', 'user')
		.where('entity_id', '=', String(userId))
		.orderBy('seq')
		.execute();
	return rows.map((r) => r.action);
}

/** A user with two-step sign-in set up: their key and recovery codes. */
async function enrolled(
	role: 'coordinator' | 'admin' = 'coordinator'
): Promise<{ u: ServiceContext & { actor: UserActor }; secret: string; codes: string[] }> {
	const u = await actorFor(t, role, role === 'admin' ? [] : ['A1'], now);
	await startSecondFactorEnrolment(u);
	const secret = (await secondFactorStatus(u)).pending!.secret;
	const { recoveryCodes } = await confirmSecondFactorEnrolment(u, {
		code: totpCodeAt(secret, clock)
	});
	return { u, secret, codes: recoveryCodes };
}

async function passwordStep(email: string, address = '10.0.0.1'): Promise<string> {
	const r = await signIn(anon(), { email, password: PASSWORD }, { address });
	if (r.kind !== 'second-factor') throw new Error('expected a code to be asked for');
	return r.challenge;
}

describe('enrolling an authenticator', () => {
	it('shows a key and QR code, turns on only with a right code, and gives ten recovery codes once', async () => {
		const u = await actorFor(t, 'coordinator', ['A1'], now);
		expect(await secondFactorStatus(u)).toMatchObject({ enrolled: false, pending: null });
		await startSecondFactorEnrolment(u);
		const { pending } = await secondFactorStatus(u);
		expect(pending!.secret).toMatch(/^[A-Z2-7]{32}$/);
		expect(pending!.uri).toContain(`secret=${pending!.secret}`);
		expect(pending!.uri).toContain('period=30');
		expect(pending!.qrSvg).toMatch(/^<svg/);

		const wrong = await confirmSecondFactorEnrolment(u, { code: '000000' }).catch((e) => e);
		expect(wrong).toBeInstanceOf(ValidationError);
		expect((wrong as ValidationError).fieldErrors.code).toHaveLength(1);
		expect((await secondFactorStatus(u)).enrolled).toBe(false);

		const { recoveryCodes } = await confirmSecondFactorEnrolment(u, {
			code: totpCodeAt(pending!.secret, clock)
		});
		expect(recoveryCodes).toHaveLength(10);
		expect(new Set(recoveryCodes).size).toBe(10);
		expect(await secondFactorStatus(u)).toMatchObject({ enrolled: true, recoveryCodesLeft: 10 });
		// Only hashes are kept, and neither key nor codes reach the audit trail.
		const stored = await t.db.selectFrom('recovery_code').select('code_hash').execute();
		expect(stored.map((r) => r.code_hash)).not.toContain(recoveryCodes[0]);
		const trail = JSON.stringify(await t.db.selectFrom('audit_event').selectAll().execute());
		expect(trail).not.toContain(pending!.secret);
		expect(trail).not.toContain(recoveryCodes[0]);
		expect(await actions(u.actor.id)).toEqual([
			'user.create',
			'user.second_factor_enrol_start',
			'user.second_factor_enrol'
		]);
		expect((await verifyAuditChain(t.system)).ok).toBe(true);
	});

	it('refuses to replace a working authenticator', async () => {
		const { u } = await enrolled();
		await expect(startSecondFactorEnrolment(u)).rejects.toThrow(/already set up/);
	});
});

describe('signing in with a code', () => {
	it('asks for a code after the password and starts the session only when it is right', async () => {
		const { u, secret } = await enrolled();
		const challenge = await passwordStep(u.actor.email);
		expect(await t.db.selectFrom('auth_session').selectAll().execute()).toHaveLength(0);
		await expect(
			completeSecondFactor(anon(), challenge, { code: '123456' }, { address: '10.0.0.1' })
		).rejects.toThrow(CODE_FAILED);
		clock += 30_000; // the code of the next step: the one enrolment used is spent
		const done = await completeSecondFactor(
			anon(),
			challenge,
			{ code: totpCodeAt(secret, clock) },
			{ address: '10.0.0.1' }
		);
		expect(done.user.id).toBe(u.actor.id);
		const valid = await validateSessionToken(t.db, done.token, DEFAULT_SESSION_POLICY, clock);
		expect(valid?.user.id).toBe(u.actor.id);
		expect(await actions(u.actor.id)).toEqual(
			expect.arrayContaining(['auth.second_factor_asked', 'auth.sign_in_failed', 'auth.sign_in'])
		);
		const signInRow = await t.db
			.selectFrom('audit_event')
			.select('new_values')
			.where('action', '=', 'auth.sign_in')
			.executeTakeFirstOrThrow();
		expect(JSON.parse(signInRow.new_values!)).toEqual({ secondFactor: 'totp' });
	});

	it('never accepts a code twice, and accepts one step of drift but not two', async () => {
		const { u, secret } = await enrolled();
		clock += 60_000;
		const code = totpCodeAt(secret, clock);
		const first = await passwordStep(u.actor.email);
		await completeSecondFactor(anon(), first, { code });
		const again = await passwordStep(u.actor.email);
		await expect(completeSecondFactor(anon(), again, { code })).rejects.toThrow(CODE_FAILED);

		// A phone 30 s behind: the previous step's code still works; 60 s behind, it does not.
		clock += 120_000;
		const lagging = await passwordStep(u.actor.email);
		await expect(
			completeSecondFactor(anon(), lagging, { code: totpCodeAt(secret, clock - 60_000) })
		).rejects.toThrow(CODE_FAILED);
		const ok = await completeSecondFactor(anon(), lagging, {
			code: totpCodeAt(secret, clock - 30_000)
		});
		expect(ok.kind).toBe('signed-in');
	});

	it('lets a challenge last five minutes and five wrong codes', async () => {
		const { u, secret } = await enrolled();
		const late = await passwordStep(u.actor.email);
		clock += CHALLENGE_MS;
		await expect(
			completeSecondFactor(anon(), late, { code: totpCodeAt(secret, clock) })
		).rejects.toBeInstanceOf(ChallengeGoneError);

		const guessed = await passwordStep(u.actor.email, '10.0.0.2');
		for (let i = 0; i < 5; i++) {
			await expect(
				completeSecondFactor(anon(), guessed, { code: String(100000 + i) }, { address: '10.0.0.2' })
			).rejects.toThrow(CODE_FAILED);
		}
		clock += 30_000;
		await expect(
			completeSecondFactor(anon(), guessed, { code: totpCodeAt(secret, clock) })
		).rejects.toBeInstanceOf(ChallengeGoneError);
		const causes = await t.db
			.selectFrom('audit_event')
			.select('new_values')
			.where('action', '=', 'auth.sign_in_failed')
			.execute();
		expect(causes.map((c) => JSON.parse(c.new_values!).cause)).toEqual(Array(5).fill('wrong-code'));
	});

	it('counts wrong codes against the client like wrong passwords, so a known password buys no endless guesses', async () => {
		const { u, secret } = await enrolled();
		for (let i = 0; i < FREE_FAILED_SIGN_INS; i++) {
			const c = await passwordStep(u.actor.email, '10.0.0.3');
			await expect(
				completeSecondFactor(anon(), c, { code: '999999' }, { address: '10.0.0.3' })
			).rejects.toThrow(CODE_FAILED);
		}
		// Now throttled: even the right password is refused for a while.
		await expect(
			signIn(anon(), { email: u.actor.email, password: PASSWORD }, { address: '10.0.0.3' })
		).rejects.toThrow();
		// Another client is not locked out by this one.
		clock += 30_000;
		const elsewhere = await passwordStep(u.actor.email, '10.0.0.4');
		const ok = await completeSecondFactor(
			anon(),
			elsewhere,
			{ code: totpCodeAt(secret, clock) },
			{ address: '10.0.0.4' }
		);
		expect(ok.kind).toBe('signed-in');
	});

	it('takes each recovery code once, and audits how many are left', async () => {
		const { u, codes } = await enrolled();
		const c1 = await passwordStep(u.actor.email);
		// Case, spaces and dashes do not matter.
		const typed = codes[3]!.toUpperCase().replace(/-/g, ' ');
		expect((await completeSecondFactor(anon(), c1, { code: typed })).kind).toBe('signed-in');
		const c2 = await passwordStep(u.actor.email);
		await expect(completeSecondFactor(anon(), c2, { code: codes[3] })).rejects.toThrow(CODE_FAILED);
		const used = await t.db
			.selectFrom('audit_event')
			.select('new_values')
			.where('action', '=', 'auth.recovery_code_used')
			.executeTakeFirstOrThrow();
		expect(JSON.parse(used.new_values!)).toEqual({ recoveryCodesLeft: 9 });
		expect((await secondFactorStatus(u)).recoveryCodesLeft).toBe(9);
	});

	it('renews recovery codes only with a current code; the old ones stop working', async () => {
		const { u, secret, codes } = await enrolled();
		await expect(renewRecoveryCodes(u, { code: '000000' })).rejects.toBeInstanceOf(ValidationError);
		clock += 30_000;
		const { recoveryCodes } = await renewRecoveryCodes(u, { code: totpCodeAt(secret, clock) });
		const c1 = await passwordStep(u.actor.email);
		await expect(completeSecondFactor(anon(), c1, { code: codes[0] })).rejects.toThrow(CODE_FAILED);
		expect((await completeSecondFactor(anon(), c1, { code: recoveryCodes[0] })).kind).toBe(
			'signed-in'
		);
		expect(await actions(u.actor.id)).toContain('user.recovery_codes_renew');
	});
});

describe('who must use a second factor', () => {
	it('sends an administrator without one to enrolment first; other roles only when the site says so', async () => {
		const admin = await actorFor(t, 'admin', [], now);
		const coord = await actorFor(t, 'coordinator', ['A1'], now);
		const adminSession = passwordOnly(
			await signIn(anon(), { email: admin.actor.email, password: PASSWORD })
		);
		const coordSession = passwordOnly(
			await signIn(anon(), { email: coord.actor.email, password: PASSWORD })
		);
		const check = (token: string, policy = DEFAULT_SESSION_POLICY) =>
			validateSessionToken(t.db, token, policy, clock).then((s) => s?.mustEnrolSecondFactor);
		expect(await check(adminSession.token)).toBe(true);
		expect(await check(coordSession.token)).toBe(false);
		const everyone = {
			...DEFAULT_SESSION_POLICY,
			secondFactorRoles: ['admin', 'coordinator'] as const
		};
		expect(await check(coordSession.token, everyone)).toBe(true);

		await startSecondFactorEnrolment(admin);
		// A key not yet confirmed is not enough.
		expect(await check(adminSession.token)).toBe(true);
		const secret = (await secondFactorStatus(admin)).pending!.secret;
		await confirmSecondFactorEnrolment(admin, { code: totpCodeAt(secret, clock) });
		expect(await check(adminSession.token)).toBe(false);
	});
});

describe("an administrator's reset", () => {
	it('removes the key, the codes and every session, audited with the reason; only admins may', async () => {
		const { u, secret } = await enrolled();
		const c = await passwordStep(u.actor.email);
		clock += 30_000;
		const session = await completeSecondFactor(anon(), c, { code: totpCodeAt(secret, clock) });
		const coordinator = await actorFor(t, 'coordinator', ['A1'], now);
		await expect(
			resetSecondFactor(coordinator, u.actor.id, { reason: 'lost phone reported' })
		).rejects.toBeInstanceOf(ForbiddenError);

		const admin = await actorFor(t, 'admin', [], now);
		await resetSecondFactor(admin, u.actor.id, { reason: 'Phone lost on the ward' });
		expect(
			await validateSessionToken(t.db, session.token, DEFAULT_SESSION_POLICY, clock)
		).toBeNull();
		expect(await t.db.selectFrom('recovery_code').selectAll().execute()).toHaveLength(0);
		// The password alone signs in again; the user may set up the new phone.
		const again = await signIn(anon(), { email: u.actor.email, password: PASSWORD });
		expect(again.kind).toBe('signed-in');
		const row = await t.db
			.selectFrom('audit_event')
			.select(['reason', 'old_values', 'actor_id'])
			.where('action', '=', 'user.second_factor_reset')
			.executeTakeFirstOrThrow();
		expect(row).toMatchObject({ reason: 'Phone lost on the ward', actor_id: admin.actor.id });
		expect(JSON.parse(row.old_values!)).toEqual({ enrolled: true });
	});
});

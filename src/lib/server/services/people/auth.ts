// Signing in and out, sessions, and password changes.
import { AUDIT_ACTIONS } from '../../audit/actions';
import { appendAudit } from '../../audit/log';
import { sha256Hex } from '../../audit/chain';
import {
	burnPasswordCheck,
	hashPassword,
	padToPasswordCheck,
	verifyPassword
} from '../../auth/password';
import {
	passwordProblems,
	sessionExpiresAt,
	sessionState,
	shouldRecordActivity,
	keyWaitMs,
	secondFactorRequired,
	FREE_FAILED_SIGN_INS,
	FREE_FAILED_SIGN_INS_PER_ADDRESS,
	THROTTLE_FORGET_MS,
	type SessionPolicy
} from '../../auth/policy';
import { generateSessionToken, sessionIdFromToken } from '../../auth/token';
import type { ServiceContext, UserActor } from '../../runtime/context';
import type { Db, Executor, Trx } from '../../db';
import type { User } from '../../db/schema';
import { writeTransaction } from '../../db/transaction';
import { AuthenticationError, ValidationError } from '../../runtime/errors';
import * as sessions from '../../repositories/auth-sessions';
import * as users from '../../repositories/users';
import * as throttles from '../../repositories/sign-in-throttle';
import * as secondFactor from '../../repositories/second-factor';
import { revokeApiTokensOfUser } from '../../repositories/api-tokens';
import { isRole } from '../../../roles';
import { passwordChangeInput, signInInput } from '../../../schemas/user';
import { parseInput } from '../../runtime/validate';

/** The one message for every failed sign-in, whatever was wrong. */
export const SIGN_IN_FAILED = 'Incorrect email or password, or the account cannot sign in now.';

export interface SignedIn {
	kind: 'signed-in';
	token: string;
	user: UserActor;
	mustChangePassword: boolean;
}

/** The password was right; a code from the authenticator (or a recovery code) is still owed. */
export interface SecondFactorOwed {
	kind: 'second-factor';
	/** For the sign-in cookie; only its SHA-256 is stored (sign-in-code.ts takes it back). */
	challenge: string;
}

export async function toActor(db: Executor, user: User): Promise<UserActor> {
	if (!isRole(user.role)) throw new Error(`User ${user.id} has unknown role ${user.role}`);
	return {
		kind: 'user',
		id: user.id,
		email: user.email,
		name: user.name,
		role: user.role,
		siteIds: await users.siteIdsOfUser(db, user.id)
	};
}

export async function startSession(ctx: ServiceContext, trx: Trx, userId: number): Promise<string> {
	const token = generateSessionToken();
	const now = ctx.now().getTime();
	await sessions.insertSession(trx, {
		id: sessionIdFromToken(token),
		user_id: userId,
		created_at: now,
		last_active_at: now
	});
	return token;
}

/** Where an attempt comes from: the client address, as the proxy or socket tells it. */
export interface SignInClient {
	address?: string;
}

/**
 * Counts this attempt against its throttle keys before any hashing, in one write transaction (the
 * write lock queues concurrent attempts, so each sees those before it): refused while either key
 * waits, else counted as a failure until the password proves it was not one.
 */
export async function claimAttempt(
	ctx: ServiceContext,
	keys: { account: string; address: string },
	email: string
): Promise<'throttled' | 'counted'> {
	const now = ctx.now().getTime();
	return writeTransaction(ctx.db, async (trx) => {
		const rows = await throttles.findThrottles(trx, [keys.account, keys.address]);
		const account = rows.find((r) => r.key === keys.account);
		const address = rows.find((r) => r.key === keys.address);
		const wait = Math.max(
			keyWaitMs(account, FREE_FAILED_SIGN_INS, now),
			keyWaitMs(address, FREE_FAILED_SIGN_INS_PER_ADDRESS, now)
		);
		if (wait > 0) {
			await appendAudit(trx, ctx, {
				action: AUDIT_ACTIONS.signInThrottled,
				entityType: 'user',
				entityId: null,
				newValues: { email, cause: 'throttled', waitMs: wait }
			});
			return 'throttled';
		}
		const count = (r: typeof account) =>
			!r || now - r.last_attempt_at >= THROTTLE_FORGET_MS ? 1 : r.failures + 1;
		await throttles.saveThrottle(trx, {
			key: keys.account,
			failures: count(account),
			last_attempt_at: now
		});
		await throttles.saveThrottle(trx, {
			key: keys.address,
			failures: count(address),
			last_attempt_at: now
		});
		return 'counted';
	});
}

/** The two throttle keys of an attempt: this client at this account, and this client anywhere. */
export function throttleKeys(email: string, address: string): { account: string; address: string } {
	return { account: `account:${email}|address:${address}`, address: `address:${address}` };
}

export async function signIn(
	ctx: ServiceContext,
	input: unknown,
	client: SignInClient = {}
): Promise<SignedIn | SecondFactorOwed> {
	const started = performance.now();
	const { email, password } = parseInput(signInInput, input);
	const address = client.address ?? 'unknown';
	const keys = throttleKeys(email, address);
	if ((await claimAttempt(ctx, keys, email)) === 'throttled') {
		// Refused without hashing, but no sooner than a checked attempt would be.
		await padToPasswordCheck(started);
		throw new AuthenticationError(SIGN_IN_FAILED);
	}
	// Every other answer follows one password check, whether or not the account exists.
	const user = await users.findUserByEmail(ctx.db, email);
	const passwordOk = user
		? await verifyPassword(user.password_hash, password)
		: await burnPasswordCheck(password).then(() => false);
	const cause = !user
		? 'unknown-email'
		: !passwordOk
			? 'wrong-password'
			: user.disabled_at
				? 'disabled'
				: null;
	if (!user || cause) {
		await writeTransaction(ctx.db, (trx) =>
			appendAudit(trx, ctx, {
				action: AUDIT_ACTIONS.signInFailed,
				entityType: 'user',
				entityId: user?.id ?? null,
				newValues: { email, cause }
			})
		);
		throw new AuthenticationError(SIGN_IN_FAILED);
	}

	if ((await secondFactor.findTotp(ctx.db, user.id))?.enabled_at) {
		return askForSecondFactor(ctx, user.id, keys, address);
	}
	const actor = await toActor(ctx.db, user);
	const token = await writeTransaction(ctx.db, async (trx) => {
		// The attempt was no failure after all: this client starts again at this account, and the
		// address counter takes back the one it was charged.
		await throttles.clearThrottle(trx, keys.account);
		await throttles.forgiveOne(trx, keys.address);
		const t = await startSession(ctx, trx, user.id);
		await appendAudit(
			trx,
			{ ...ctx, actor },
			{
				action: AUDIT_ACTIONS.signIn,
				entityType: 'user',
				entityId: user.id
			}
		);
		return t;
	});
	return {
		kind: 'signed-in',
		token,
		user: actor,
		mustChangePassword: user.must_change_password === 1
	};
}

/**
 * The password was right and a code is owed. The attempt's charge is taken back but the account
 * key is not cleared: wrong codes keep counting against it until a code is accepted, so knowing
 * the password does not buy unlimited guesses at the code.
 */
async function askForSecondFactor(
	ctx: ServiceContext,
	userId: number,
	keys: { account: string; address: string },
	address: string
): Promise<SecondFactorOwed> {
	const challenge = generateSessionToken();
	await writeTransaction(ctx.db, async (trx) => {
		await throttles.forgiveOne(trx, keys.account);
		await throttles.forgiveOne(trx, keys.address);
		await secondFactor.insertChallenge(trx, {
			id: sessionIdFromToken(challenge),
			user_id: userId,
			address,
			created_at: ctx.now().getTime()
		});
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.signInSecondFactorAsked,
			entityType: 'user',
			entityId: userId
		});
	});
	return { kind: 'second-factor', challenge };
}

export interface ValidatedSession {
	user: UserActor;
	mustChangePassword: boolean;
	/** The role needs a second factor and this user has none yet: enrolment comes first. */
	mustEnrolSecondFactor: boolean;
	expiresAt: number;
}

/** Checks a cookie's token; ends sessions that are expired or whose user was disabled. */
export async function validateSessionToken(
	db: Db,
	token: string,
	policy: SessionPolicy,
	now: number
): Promise<ValidatedSession | null> {
	const id = sessionIdFromToken(token);
	const found = await sessions.findSessionWithUser(db, id);
	if (!found) return null;
	const { session, user } = found;
	const state = sessionState(session, now, policy);
	if (state !== 'valid' || user.disabled_at) {
		await writeTransaction(db, async (trx) => {
			await sessions.deleteSession(trx, id);
			if (state !== 'valid') {
				await appendAudit(
					trx,
					{
						actor: { kind: 'system', label: 'session-timer' },
						requestId: null,
						now: () => new Date(now)
					},
					{
						action: AUDIT_ACTIONS.sessionExpired,
						entityType: 'user',
						entityId: user.id,
						newValues: { cause: state }
					}
				);
			}
		});
		return null;
	}
	let lastActive = session.last_active_at;
	if (shouldRecordActivity(session, now)) {
		await sessions.touchSession(db, id, now);
		lastActive = now;
	}
	const actor = await toActor(db, user);
	const mustEnrol = secondFactorRequired(actor.role, policy) && !found.secondFactorEnabled;
	return {
		user: actor,
		mustChangePassword: user.must_change_password === 1,
		mustEnrolSecondFactor: mustEnrol,
		expiresAt: sessionExpiresAt(
			{ created_at: session.created_at, last_active_at: lastActive },
			policy
		)
	};
}

/**
 * Whether a session is still good, without counting this as activity (a page left open on a live
 * stream must still time out when idle). For streams that outlast their request.
 */
export async function sessionStillValid(
	db: Db,
	token: string,
	policy: SessionPolicy,
	now: number
): Promise<boolean> {
	const found = await sessions.findSessionWithUser(db, sessionIdFromToken(token));
	if (!found) return false;
	return sessionState(found.session, now, policy) === 'valid' && !found.user.disabled_at;
}

/** Signing out ends every session of the user, on every device. */
export async function signOut(ctx: ServiceContext): Promise<void> {
	if (ctx.actor.kind !== 'user') return;
	const actor = ctx.actor;
	await writeTransaction(ctx.db, async (trx) => {
		const ended = await sessions.deleteSessionsOfUser(trx, actor.id);
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.signOut,
			entityType: 'user',
			entityId: actor.id,
			newValues: { sessionsEnded: ended }
		});
	});
}

/**
 * "Sign out everywhere": every session and every API token of the user end, for when a device or
 * a token may be in someone else's hands.
 */
export async function signOutEverywhere(ctx: ServiceContext): Promise<{ tokensRevoked: number }> {
	if (ctx.actor.kind !== 'user') throw new AuthenticationError('Please sign in.');
	const actor = ctx.actor;
	return writeTransaction(ctx.db, async (trx) => {
		const ended = await sessions.deleteSessionsOfUser(trx, actor.id);
		const at = ctx.now().toISOString();
		const revoked = await revokeApiTokensOfUser(trx, actor.id, at, 'sign-out-everywhere');
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.signOut,
			entityType: 'user',
			entityId: actor.id,
			newValues: {
				sessionsEnded: ended,
				tokensRevoked: revoked.length,
				everywhere: true,
				revokedTokenIds: revoked,
				tokensRevokedAt: at
			}
		});
		return { tokensRevoked: revoked.length };
	});
}

/**
 * A new password (changed or reset) ends every sign-in session of the user and revokes their API
 * tokens, made perhaps by whoever knew the old one; returns what went, for the audit entry.
 */
export async function endAccessOnNewPassword(
	trx: Trx,
	ctx: ServiceContext,
	userId: number,
	passwordHash: string,
	cause: Parameters<typeof revokeApiTokensOfUser>[3]
) {
	const ended = await sessions.deleteSessionsOfUser(trx, userId);
	const at = ctx.now().toISOString();
	const revoked = await revokeApiTokensOfUser(trx, userId, at, cause);
	return {
		sessionsEnded: ended,
		tokensRevoked: revoked.length,
		revokedTokenIds: revoked,
		tokensRevokedAt: at,
		passwordHashSha256: sha256Hex(passwordHash)
	};
}

/** The signed-in user changes their own password; all their sessions end and a new one starts. */
export async function changeOwnPassword(
	ctx: ServiceContext,
	input: unknown
): Promise<{ token: string }> {
	if (ctx.actor.kind !== 'user') throw new AuthenticationError('Please sign in.');
	const actor = ctx.actor;
	const v = parseInput(passwordChangeInput, input);
	const user = await users.findUserById(ctx.db, actor.id);
	if (!user || !(await verifyPassword(user.password_hash, v.currentPassword))) {
		throw new ValidationError({ currentPassword: ['Your current password is not correct.'] });
	}
	const problems = passwordProblems(v.newPassword, { email: user.email });
	if (v.newPassword === v.currentPassword) {
		problems.push('Choose a password different from the current one.');
	}
	if (problems.length > 0) throw new ValidationError({ newPassword: problems });
	const passwordHash = await hashPassword(v.newPassword);
	const token = await writeTransaction(ctx.db, async (trx) => {
		await users.updateUser(trx, user.id, { password_hash: passwordHash, must_change_password: 0 });
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.passwordChanged,
			entityType: 'user',
			entityId: user.id,
			newValues: await endAccessOnNewPassword(trx, ctx, user.id, passwordHash, 'password-change')
		});
		return startSession(ctx, trx, user.id);
	});
	return { token };
}

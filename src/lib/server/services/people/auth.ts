// Signing in and out, sessions, and password changes.
import { AUDIT_ACTIONS } from '../../audit/actions';
import { appendAudit } from '../../audit/log';
import { burnPasswordCheck, hashPassword, verifyPassword } from '../../auth/password';
import {
	passwordProblems,
	sessionExpiresAt,
	sessionState,
	shouldRecordActivity,
	throttleWaitMs,
	type SessionPolicy
} from '../../auth/policy';
import { generateSessionToken, sessionIdFromToken } from '../../auth/token';
import type { ServiceContext, UserActor } from '../../runtime/context';
import type { Db, Trx } from '../../db';
import type { User } from '../../db/schema';
import { writeTransaction } from '../../db/transaction';
import { AuthenticationError, ValidationError } from '../../runtime/errors';
import * as sessions from '../../repositories/auth-sessions';
import * as users from '../../repositories/users';
import { revokeApiTokensOfUser } from '../../repositories/api-tokens';
import { isRole } from '../../../roles';
import { passwordChangeInput, signInInput } from '../../../schemas/user';
import { parseInput } from '../../runtime/validate';

/** The one message for every failed sign-in, whatever was wrong. */
export const SIGN_IN_FAILED = 'Incorrect email or password, or the account cannot sign in now.';

export interface SignedIn {
	token: string;
	user: UserActor;
	mustChangePassword: boolean;
}

async function toActor(db: Db, user: User): Promise<UserActor> {
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

async function startSession(ctx: ServiceContext, trx: Trx, userId: number): Promise<string> {
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

export async function signIn(ctx: ServiceContext, input: unknown): Promise<SignedIn> {
	const { email, password } = parseInput(signInInput, input);
	const now = ctx.now().getTime();
	const user = await users.findUserByEmail(ctx.db, email);
	const fail = async (why: string, counts: boolean) => {
		await writeTransaction(ctx.db, async (trx) => {
			if (user && counts) await users.recordFailedSignIn(trx, user.id, now);
			await appendAudit(trx, ctx, {
				action: why === 'throttled' ? AUDIT_ACTIONS.signInThrottled : AUDIT_ACTIONS.signInFailed,
				entityType: 'user',
				entityId: user?.id ?? null,
				newValues: { email, cause: why }
			});
		});
		return new AuthenticationError(SIGN_IN_FAILED);
	};

	if (!user) {
		await burnPasswordCheck(password);
		throw await fail('unknown-email', false);
	}
	// A throttled attempt is refused before any hashing.
	if (throttleWaitMs(user, now) > 0) throw await fail('throttled', false);
	const passwordOk = await verifyPassword(user.password_hash, password);
	if (!passwordOk) throw await fail('wrong-password', true);
	if (user.disabled_at) throw await fail('disabled', false);

	const actor = await toActor(ctx.db, user);
	const token = await writeTransaction(ctx.db, async (trx) => {
		await users.updateUser(trx, user.id, { failed_sign_ins: 0, last_failed_sign_in_at: null });
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
	return { token, user: actor, mustChangePassword: user.must_change_password === 1 };
}

export interface ValidatedSession {
	user: UserActor;
	mustChangePassword: boolean;
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
	return {
		user: await toActor(db, user),
		mustChangePassword: user.must_change_password === 1,
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
		const tokensRevoked = await revokeApiTokensOfUser(trx, actor.id, at, 'sign-out-everywhere');
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.signOut,
			entityType: 'user',
			entityId: actor.id,
			newValues: { sessionsEnded: ended, tokensRevoked, everywhere: true }
		});
		return { tokensRevoked };
	});
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
		const ended = await sessions.deleteSessionsOfUser(trx, user.id);
		const tokensRevoked = await revokeApiTokensOfUser(
			trx,
			user.id,
			ctx.now().toISOString(),
			'password-change'
		);
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.passwordChanged,
			entityType: 'user',
			entityId: user.id,
			newValues: { sessionsEnded: ended, tokensRevoked }
		});
		return startSession(ctx, trx, user.id);
	});
	return { token };
}

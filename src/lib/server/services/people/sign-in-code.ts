// The second step of signing in: the code from the authenticator app, or a recovery code, for a
// challenge the password step opened (auth.ts). Each attempt is counted against the same throttle
// keys as a password; a challenge lasts five minutes and five wrong codes.
import { AUDIT_ACTIONS } from '../../audit/actions';
import { appendAudit } from '../../audit/log';
import { sessionIdFromToken } from '../../auth/token';
import { acceptedTotpStep, hashRecoveryCode, looksLikeTotpCode } from '../../auth/totp';
import type { ServiceContext } from '../../runtime/context';
import type { Trx } from '../../db';
import { writeTransaction } from '../../db/transaction';
import { AuthenticationError } from '../../runtime/errors';
import { parseInput } from '../../runtime/validate';
import * as repo from '../../repositories/second-factor';
import * as throttles from '../../repositories/sign-in-throttle';
import * as users from '../../repositories/users';
import { secondFactorCodeInput } from '../../../schemas/user';
import {
	claimAttempt,
	startSession,
	throttleKeys,
	toActor,
	type SignedIn,
	type SignInClient
} from './auth';

/** How long the code step waits after the password step. */
export const CHALLENGE_MS = 5 * 60_000;
/** Wrong codes one challenge takes before the password must be entered again. */
export const CODES_PER_CHALLENGE = 5;

export const CODE_FAILED = 'That code is not right, or it has been used. Try the code shown now.';
export const CHALLENGE_GONE = 'This sign-in has expired. Start again with your email and password.';

/** The challenge ended (expired, used up or unknown): the caller goes back to the password. */
export class ChallengeGoneError extends AuthenticationError {
	constructor() {
		super(CHALLENGE_GONE);
	}
}

/** Accepts a TOTP code (never one of an already-used step) or an unused recovery code. */
async function acceptCode(
	trx: Trx,
	userId: number,
	code: string,
	now: Date
): Promise<'totp' | 'recovery-code' | null> {
	if (looksLikeTotpCode(code)) {
		const totp = await repo.findTotp(trx, userId);
		if (!totp?.enabled_at) return null;
		const step = acceptedTotpStep(totp.secret, code, now.getTime(), totp.last_used_step);
		return step !== null && (await repo.claimTotpStep(trx, userId, step)) ? 'totp' : null;
	}
	const used = await repo.useRecoveryCode(trx, userId, hashRecoveryCode(code), now.toISOString());
	return used ? 'recovery-code' : null;
}

export async function completeSecondFactor(
	ctx: ServiceContext,
	challengeToken: string,
	input: unknown,
	client: SignInClient = {}
): Promise<SignedIn> {
	const { code } = parseInput(secondFactorCodeInput, input);
	const id = sessionIdFromToken(challengeToken);
	const challenge = await repo.findChallenge(ctx.db, id);
	const now = ctx.now();
	if (!challenge || now.getTime() - challenge.created_at >= CHALLENGE_MS) {
		if (challenge) await writeTransaction(ctx.db, (trx) => repo.deleteChallenge(trx, id));
		throw new ChallengeGoneError();
	}
	const user = await users.findUserById(ctx.db, challenge.user_id);
	if (!user) throw new ChallengeGoneError();
	const keys = throttleKeys(user.email, client.address ?? challenge.address);
	if ((await claimAttempt(ctx, keys, user.email)) === 'throttled') {
		throw new AuthenticationError(CODE_FAILED);
	}
	const result = await writeTransaction(ctx.db, async (trx) => {
		const method = user.disabled_at ? null : await acceptCode(trx, user.id, code, now);
		if (!method) {
			await repo.countChallengeAttempt(trx, id);
			if (challenge.attempts + 1 >= CODES_PER_CHALLENGE) await repo.deleteChallenge(trx, id);
			await appendAudit(trx, ctx, {
				action: AUDIT_ACTIONS.signInFailed,
				entityType: 'user',
				entityId: user.id,
				newValues: { email: user.email, cause: user.disabled_at ? 'disabled' : 'wrong-code' }
			});
			return null;
		}
		await repo.deleteChallenge(trx, id);
		await throttles.clearThrottle(trx, keys.account);
		await throttles.forgiveOne(trx, keys.address);
		const token = await startSession(ctx, trx, user.id);
		const actor = await toActor(trx, user);
		const signedIn = { ...ctx, actor };
		if (method === 'recovery-code') {
			await appendAudit(trx, signedIn, {
				action: AUDIT_ACTIONS.recoveryCodeUsed,
				entityType: 'user',
				entityId: user.id,
				newValues: { recoveryCodesLeft: await repo.countUnusedRecoveryCodes(trx, user.id) }
			});
		}
		await appendAudit(trx, signedIn, {
			action: AUDIT_ACTIONS.signIn,
			entityType: 'user',
			entityId: user.id,
			newValues: { secondFactor: method }
		});
		return { token, actor };
	});
	if (!result) throw new AuthenticationError(CODE_FAILED);
	return {
		kind: 'signed-in',
		token: result.token,
		user: result.actor,
		mustChangePassword: user.must_change_password === 1
	};
}

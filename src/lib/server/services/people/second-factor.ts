// The second factor: a user enrols an authenticator app (key shown as a QR code, confirmed with a
// code), keeps one-time recovery codes, and an administrator resets it when a phone is lost.
// Every change is audited; keys and codes never enter the trail.
import { renderSVG } from 'uqr';
import { AUDIT_ACTIONS, type AuditAction } from '../../audit/actions';
import type { Trx } from '../../db';
import type { UserTotp } from '../../db/schema';
import { appendAudit } from '../../audit/log';
import { sha256Hex } from '../../audit/chain';
import { recoveryCodesDigest } from '../../audit/second-factor-vs-trail';
import { requireRole } from '../../auth/access';
import {
	acceptedTotpStep,
	generateRecoveryCodes,
	generateTotpSecret,
	hashRecoveryCode,
	totpKeyUri
} from '../../auth/totp';
import type { ServiceContext, UserActor } from '../../runtime/context';
import { writeTransaction } from '../../db/transaction';
import {
	AuthenticationError,
	ConflictError,
	NotFoundError,
	ValidationError
} from '../../runtime/errors';
import { parseInput } from '../../runtime/validate';
import * as sessions from '../../repositories/auth-sessions';
import * as repo from '../../repositories/second-factor';
import * as users from '../../repositories/users';
import { reasonInput, secondFactorCodeInput } from '../../../schemas/user';

export interface SecondFactorStatus {
	enrolled: boolean;
	/** An enrolment waiting for its first code: what the app needs. */
	pending: { secret: string; uri: string; qrSvg: string } | null;
	recoveryCodesLeft: number;
}

function signedInUser(ctx: ServiceContext): UserActor {
	if (ctx.actor.kind !== 'user') throw new AuthenticationError('Please sign in.');
	return ctx.actor;
}

export async function secondFactorStatus(ctx: ServiceContext): Promise<SecondFactorStatus> {
	const user = signedInUser(ctx);
	const totp = await repo.findTotp(ctx.db, user.id);
	const enrolled = Boolean(totp?.enabled_at);
	const pending =
		totp && !enrolled
			? {
					secret: totp.secret,
					uri: totpKeyUri(user.email, totp.secret),
					qrSvg: renderSVG(totpKeyUri(user.email, totp.secret), { border: 2 })
				}
			: null;
	return {
		enrolled,
		pending,
		recoveryCodesLeft: enrolled ? await repo.countUnusedRecoveryCodes(ctx.db, user.id) : 0
	};
}

/** A new key for the app; replaces an unconfirmed one, never a working one. */
export async function startSecondFactorEnrolment(ctx: ServiceContext): Promise<void> {
	const user = signedInUser(ctx);
	await writeTransaction(ctx.db, async (trx) => {
		const existing = await repo.findTotp(trx, user.id);
		if (existing?.enabled_at) {
			throw new ConflictError('Two-step sign-in is already set up for this account.');
		}
		const secret = generateTotpSecret();
		await repo.savePendingTotp(trx, {
			user_id: user.id,
			secret,
			created_at: ctx.now().toISOString()
		});
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.secondFactorEnrolmentStarted,
			entityType: 'user',
			entityId: user.id,
			newValues: { secretSha256: sha256Hex(secret) }
		});
	});
}

const WRONG_CODE = 'That code is not right. Enter the 6-digit code your app shows now.';

/**
 * A current code from the app buys fresh recovery codes (at enrolment's confirmation and at a
 * renewal): `acceptCode` checks the key and claims the code's step, the new codes replace the old
 * ones and the trail keeps their count and digest, never the codes. They are returned this once.
 */
async function withNewRecoveryCodes(
	ctx: ServiceContext,
	input: unknown,
	acceptCode: (trx: Trx, totp: UserTotp | undefined, code: string, now: Date) => Promise<void>,
	audit: { action: AuditAction; newValues?: Record<string, unknown> }
): Promise<{ recoveryCodes: string[] }> {
	const user = signedInUser(ctx);
	const { code } = parseInput(secondFactorCodeInput, input);
	const codes = generateRecoveryCodes();
	await writeTransaction(ctx.db, async (trx) => {
		const now = ctx.now();
		await acceptCode(trx, await repo.findTotp(trx, user.id), code, now);
		const hashes = codes.map(hashRecoveryCode);
		await repo.replaceRecoveryCodes(trx, user.id, hashes, now.toISOString());
		await appendAudit(trx, ctx, {
			action: audit.action,
			entityType: 'user',
			entityId: user.id,
			newValues: {
				...audit.newValues,
				recoveryCodes: codes.length,
				recoveryCodesSha256: recoveryCodesDigest(hashes)
			}
		});
	});
	return { recoveryCodes: codes };
}

/** A code from the app proves the key was read; enrolment completes with its recovery codes. */
export function confirmSecondFactorEnrolment(
	ctx: ServiceContext,
	input: unknown
): Promise<{ recoveryCodes: string[] }> {
	return withNewRecoveryCodes(
		ctx,
		input,
		async (trx, totp, code, now) => {
			if (!totp) throw new ConflictError('Start the set-up first.');
			if (totp.enabled_at) {
				throw new ConflictError('Two-step sign-in is already set up for this account.');
			}
			const step = acceptedTotpStep(totp.secret, code, now.getTime(), null);
			if (step === null) throw new ValidationError({ code: [WRONG_CODE] });
			await repo.enableTotp(trx, totp.user_id, now.toISOString(), step);
		},
		{ action: AUDIT_ACTIONS.secondFactorEnrolled, newValues: { method: 'totp' } }
	);
}

/** New recovery codes (the old ones stop working); a current code from the app is required. */
export function renewRecoveryCodes(
	ctx: ServiceContext,
	input: unknown
): Promise<{ recoveryCodes: string[] }> {
	return withNewRecoveryCodes(
		ctx,
		input,
		async (trx, totp, code, now) => {
			if (!totp?.enabled_at) throw new ConflictError('Set up two-step sign-in first.');
			const step = acceptedTotpStep(totp.secret, code, now.getTime(), totp.last_used_step);
			if (step === null || !(await repo.claimTotpStep(trx, totp.user_id, step))) {
				throw new ValidationError({ code: [WRONG_CODE] });
			}
		},
		{ action: AUDIT_ACTIONS.recoveryCodesRenewed }
	);
}

/**
 * An administrator (or the operator at the CLI) removes a user's second factor, for a lost phone:
 * the key, the recovery codes and every session go; a user whose role needs a second factor
 * enrols again at the next sign-in.
 */
export async function resetSecondFactor(
	ctx: ServiceContext,
	userId: number,
	input: unknown
): Promise<void> {
	requireRole(ctx.actor, 'admin');
	const { reason } = parseInput(reasonInput, input);
	await writeTransaction(ctx.db, async (trx) => {
		const user = await users.findUserById(trx, userId);
		if (!user) throw new NotFoundError('User');
		const removed = await repo.deleteTotp(trx, userId);
		await repo.deleteRecoveryCodes(trx, userId);
		await repo.deleteChallengesOfUser(trx, userId);
		const ended = await sessions.deleteSessionsOfUser(trx, userId);
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.secondFactorReset,
			entityType: 'user',
			entityId: userId,
			oldValues: { enrolled: removed > 0 },
			newValues: { enrolled: false, sessionsEnded: ended },
			reason
		});
	});
}

/** The CLI's door: the operator names the user by e-mail. */
export async function resetSecondFactorByEmail(
	ctx: ServiceContext,
	email: string,
	input: unknown
): Promise<void> {
	requireRole(ctx.actor, 'admin');
	const user = await users.findUserByEmail(ctx.db, email.trim().toLowerCase());
	if (!user) throw new NotFoundError('User');
	await resetSecondFactor(ctx, user.id, input);
}

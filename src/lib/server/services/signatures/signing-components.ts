// The components of an electronic signature (21 CFR 11.200(a)(1)): user id and password. The first
// signing of a continuous period of controlled access (one sign-in session) uses both; later ones
// in the same session at least the password, which only its owner knows. A request without a
// sign-in session (an API token) is no continuous period: it always gives both.
import { appendAudit } from '../../audit/log';
import { verifyPassword } from '../../auth/password';
import { throttleWaitMs } from '../../auth/policy';
import type { Trx } from '../../db';
import { writeTransaction } from '../../db/transaction';
import type { ServiceContext, UserActor } from '../../runtime/context';
import { ValidationError } from '../../runtime/errors';
import * as signingSessions from '../../repositories/signing-sessions';
import * as usersRepo from '../../repositories/users';

const FAILED = 'signature.failed';
export const USER_ID_NEEDED =
	'Enter your user id (your sign-in email) too: the first signing after you sign in needs both.';

export type ComponentsNeeded = 'both' | 'password';

/** What the next signing of this actor must give. */
export async function componentsNeeded(ctx: ServiceContext): Promise<ComponentsNeeded> {
	const a = ctx.actor;
	if (a.kind !== 'user' || !a.sessionId) return 'both';
	return (await signingSessions.hasSigned(ctx.db, a.sessionId, a.id)) ? 'password' : 'both';
}

/**
 * Checks the components before the write lock (argon2 is slow). A wrong one is audited and throws
 * a field error; nothing is signed. Returns whether both components were given.
 */
export async function checkComponents(
	ctx: ServiceContext,
	signer: UserActor,
	given: { userId?: string; password: string },
	attempt: { siteId: number; newValues: Record<string, unknown> }
): Promise<{ both: boolean }> {
	if (given.userId === undefined && (await componentsNeeded(ctx)) === 'both') {
		throw new ValidationError({ userId: [USER_ID_NEEDED] });
	}
	const user = await usersRepo.findUserById(ctx.db, signer.id);
	const now = ctx.now().getTime();
	// Wrong signing passwords count with failed sign-ins: the same growing delay, no hashing while
	// it lasts, so a signature form cannot be used to guess a password.
	const throttled = user ? throttleWaitMs(user, now) > 0 : true;
	const passwordOk =
		user && !throttled ? await verifyPassword(user.password_hash, given.password) : false;
	const idOk = given.userId === undefined || user?.email === given.userId;
	if (user && !user.disabled_at && idOk && passwordOk) {
		if (user.failed_sign_ins > 0) {
			await writeTransaction(ctx.db, (trx) =>
				usersRepo.updateUser(trx, user.id, { failed_sign_ins: 0, last_failed_sign_in_at: null })
			);
		}
		return { both: given.userId !== undefined };
	}
	await writeTransaction(ctx.db, async (trx) => {
		if (user && !throttled) await usersRepo.recordFailedSignIn(trx, user.id, now);
		await appendAudit(trx, ctx, {
			action: FAILED,
			entityType: 'signature',
			entityId: null,
			...attempt,
			newValues: { ...attempt.newValues, throttled }
		});
	});
	throw new ValidationError({
		password: [
			throttled
				? 'Too many wrong passwords: wait a moment and try again. Nothing was signed.'
				: given.userId === undefined
					? 'That password is not yours. Nothing was signed.'
					: 'That user id and password are not yours. Nothing was signed.'
		]
	});
}

/** After a signing with both components: the rest of this sign-in session needs the password. */
export async function startSigningPeriod(trx: Trx, ctx: ServiceContext): Promise<void> {
	const a = ctx.actor;
	if (a.kind === 'user' && a.sessionId) {
		await signingSessions.markSigned(trx, a.sessionId, a.id, ctx.now().toISOString());
	}
}

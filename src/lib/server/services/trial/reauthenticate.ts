// Re-authentication before an emergency unblinding (DOMAIN-2.md §1: "re-authenticate"): the
// investigator's own password again. Wrong passwords count with failed sign-ins (the same growing
// delay) and are audited, so this form cannot be used to guess a password.
import { AUDIT_ACTIONS } from '../../audit/actions';
import { appendAudit } from '../../audit/log';
import { verifyPassword } from '../../auth/password';
import { throttleWaitMs } from '../../auth/policy';
import { writeTransaction } from '../../db/transaction';
import * as usersRepo from '../../repositories/users';
import type { ServiceContext, UserActor } from '../../runtime/context';
import { ValidationError } from '../../runtime/errors';

export async function reauthenticate(
	ctx: ServiceContext,
	actor: UserActor,
	password: string,
	attempt: { participantId: number; siteId: number }
): Promise<void> {
	const user = await usersRepo.findUserById(ctx.db, actor.id);
	const now = ctx.now().getTime();
	const throttled = user ? throttleWaitMs(user, now) > 0 : true;
	const ok = user && !throttled ? await verifyPassword(user.password_hash, password) : false;
	if (user && !user.disabled_at && ok) {
		if (user.failed_sign_ins > 0) {
			await writeTransaction(ctx.db, (trx) =>
				usersRepo.updateUser(trx, user.id, { failed_sign_ins: 0, last_failed_sign_in_at: null })
			);
		}
		return;
	}
	await writeTransaction(ctx.db, async (trx) => {
		if (user && !throttled) await usersRepo.recordFailedSignIn(trx, user.id, now);
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.emergencyUnblindingRefused,
			entityType: 'participant',
			entityId: attempt.participantId,
			siteId: attempt.siteId,
			newValues: { reason: throttled ? 'throttled' : 'wrong password' }
		});
	});
	throw new ValidationError({
		password: [
			throttled
				? 'Too many wrong passwords: wait a moment and try again. Nothing was revealed.'
				: 'That password is not yours. Nothing was revealed.'
		]
	});
}

// The second factor's rows: each user's authenticator key, recovery codes and open challenges.
import type { Executor } from '../db';
import type { SignInChallenge, UserTotp } from '../db/schema';

export function findTotp(db: Executor, userId: number): Promise<UserTotp | undefined> {
	return db.selectFrom('user_totp').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

/** Starts (or restarts) an enrolment: a new key, not yet enabled. */
export async function savePendingTotp(
	db: Executor,
	row: { user_id: number; secret: string; created_at: string }
): Promise<void> {
	await db
		.insertInto('user_totp')
		.values({ ...row, enabled_at: null, last_used_step: null })
		.onConflict((oc) =>
			oc.column('user_id').doUpdateSet({
				secret: row.secret,
				created_at: row.created_at,
				enabled_at: null,
				last_used_step: null
			})
		)
		.execute();
}

export async function enableTotp(
	db: Executor,
	userId: number,
	at: string,
	step: number
): Promise<void> {
	await db
		.updateTable('user_totp')
		.set({ enabled_at: at, last_used_step: step })
		.where('user_id', '=', userId)
		.execute();
}

/**
 * Records that a code of this step was used, only if no code of this or a later step was: one
 * conditional update, so two requests racing with the same code cannot both win.
 */
export async function claimTotpStep(db: Executor, userId: number, step: number): Promise<boolean> {
	const result = await db
		.updateTable('user_totp')
		.set({ last_used_step: step })
		.where('user_id', '=', userId)
		.where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', step)]))
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

export async function deleteTotp(db: Executor, userId: number): Promise<number> {
	const result = await db.deleteFrom('user_totp').where('user_id', '=', userId).executeTakeFirst();
	return Number(result.numDeletedRows);
}

export async function replaceRecoveryCodes(
	db: Executor,
	userId: number,
	hashes: string[],
	at: string
): Promise<void> {
	await db.deleteFrom('recovery_code').where('user_id', '=', userId).execute();
	await db
		.insertInto('recovery_code')
		.values(hashes.map((code_hash) => ({ user_id: userId, code_hash, created_at: at })))
		.execute();
}

export async function deleteRecoveryCodes(db: Executor, userId: number): Promise<void> {
	await db.deleteFrom('recovery_code').where('user_id', '=', userId).execute();
}

/** Marks an unused code used; false when there is no such unused code. */
export async function useRecoveryCode(
	db: Executor,
	userId: number,
	hash: string,
	at: string
): Promise<boolean> {
	const result = await db
		.updateTable('recovery_code')
		.set({ used_at: at })
		.where('user_id', '=', userId)
		.where('code_hash', '=', hash)
		.where('used_at', 'is', null)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

export async function countUnusedRecoveryCodes(db: Executor, userId: number): Promise<number> {
	const row = await db
		.selectFrom('recovery_code')
		.select((eb) => eb.fn.countAll<string | number>().as('n'))
		.where('user_id', '=', userId)
		.where('used_at', 'is', null)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

export async function insertChallenge(
	db: Executor,
	row: { id: string; user_id: number; address: string; created_at: number }
): Promise<void> {
	await db.insertInto('sign_in_challenge').values(row).execute();
}

export function findChallenge(db: Executor, id: string): Promise<SignInChallenge | undefined> {
	return db.selectFrom('sign_in_challenge').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function countChallengeAttempt(db: Executor, id: string): Promise<void> {
	await db
		.updateTable('sign_in_challenge')
		.set((eb) => ({ attempts: eb('attempts', '+', 1) }))
		.where('id', '=', id)
		.execute();
}

export async function deleteChallenge(db: Executor, id: string): Promise<void> {
	await db.deleteFrom('sign_in_challenge').where('id', '=', id).execute();
}

export async function deleteChallengesOfUser(db: Executor, userId: number): Promise<void> {
	await db.deleteFrom('sign_in_challenge').where('user_id', '=', userId).execute();
}

import type { Executor } from '../db';
import type { SignInThrottle } from '../db/schema';

export function findThrottles(db: Executor, keys: string[]): Promise<SignInThrottle[]> {
	return db.selectFrom('sign_in_throttle').selectAll().where('key', 'in', keys).execute();
}

export async function saveThrottle(db: Executor, row: SignInThrottle): Promise<void> {
	await db
		.insertInto('sign_in_throttle')
		.values(row)
		.onConflict((oc) =>
			oc.column('key').doUpdateSet({ failures: row.failures, last_attempt_at: row.last_attempt_at })
		)
		.execute();
}

export async function clearThrottle(db: Executor, key: string): Promise<void> {
	await db.deleteFrom('sign_in_throttle').where('key', '=', key).execute();
}

/** Takes back one counted failure (a counted attempt that succeeded). */
export async function forgiveOne(db: Executor, key: string): Promise<void> {
	await db
		.updateTable('sign_in_throttle')
		.set((eb) => ({ failures: eb('failures', '-', 1) }))
		.where('key', '=', key)
		.where('failures', '>', 0)
		.execute();
}

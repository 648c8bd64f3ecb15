// Frozen once landed: never edit; add a new migration instead.
// "Session" means a dosing session in Vigil; the sign-in sessions' table is named as such. (Named
// to run after every migration that refers to the old name.)
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations use no app types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
	await db.schema.alterTable('session').renameTo('auth_session').execute();
}

export async function down(db: AnyDb): Promise<void> {
	await db.schema.alterTable('auth_session').renameTo('session').execute();
}

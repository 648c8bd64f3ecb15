// Frozen once landed: never edit; add a new migration instead.
// A second factor at sign-in (RFC 6238 TOTP) with one-time recovery codes, and the short-lived
// challenge that carries a sign-in from the password step to the code step.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations use no app types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
	// One authenticator per user; enabled_at stays null until a code proves the enrolment.
	await db.schema
		.createTable('user_totp')
		.addColumn('user_id', 'integer', (c) => c.primaryKey().references('user.id'))
		.addColumn('secret', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('enabled_at', 'text')
		// The last 30-second step a code was accepted for: a code is never accepted twice.
		.addColumn('last_used_step', 'integer')
		.execute();
	// Only the SHA-256 of each code is kept (the codes are random, 50 bits each).
	await db.schema
		.createTable('recovery_code')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('user_id', 'integer', (c) => c.notNull().references('user.id'))
		.addColumn('code_hash', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('used_at', 'text')
		.execute();
	await db.schema.createIndex('recovery_code_user').on('recovery_code').column('user_id').execute();
	// A password accepted, a code still owed: the SHA-256 of the cookie's token, as for sessions.
	await db.schema
		.createTable('sign_in_challenge')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('user_id', 'integer', (c) => c.notNull().references('user.id'))
		.addColumn('address', 'text', (c) => c.notNull())
		.addColumn('created_at', 'integer', (c) => c.notNull())
		.addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();
}

export async function down(db: AnyDb): Promise<void> {
	await db.schema.dropTable('sign_in_challenge').execute();
	await db.schema.dropTable('recovery_code').execute();
	await db.schema.dropTable('user_totp').execute();
}

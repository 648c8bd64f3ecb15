// Frozen once landed: never edit; add a new migration instead.
// Sign-in throttling by key rather than by account: 'account:<email>|address:<client>' for one
// client's guesses at one account, and 'address:<client>' for its guesses across accounts. So a
// stranger who knows an e-mail can slow down only their own guesses, never lock its owner out.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations use no app types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
	await db.schema
		.createTable('sign_in_throttle')
		.addColumn('key', 'text', (c) => c.primaryKey())
		.addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('last_attempt_at', 'integer', (c) => c.notNull())
		.execute();
}

export async function down(db: AnyDb): Promise<void> {
	await db.schema.dropTable('sign_in_throttle').execute();
}

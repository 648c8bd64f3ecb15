// Frozen once landed: never edit; add a new migration instead.
// The sign-in sessions in which the user has signed with both components: 21 CFR 11.200(a)(1)(i)
// lets later signings in that continuous session use the password alone. Ending the session ends
// the period (the row goes with it).
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations use no app types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
	await db.schema
		.createTable('signing_session')
		.addColumn('session_id', 'text', (c) =>
			c.primaryKey().references('session.id').onDelete('cascade')
		)
		.addColumn('user_id', 'integer', (c) => c.notNull().references('user.id'))
		.addColumn('started_at', 'text', (c) => c.notNull())
		.execute();
}

export async function down(db: AnyDb): Promise<void> {
	await db.schema.dropTable('signing_session').execute();
}

// Frozen once landed: never edit; add a new migration instead.
// Unlocking a locked study needs a reason and an approval (DOMAIN-2 §8): one administrator asks,
// another approves or declines; the request and the decision are kept apart, each with who and when.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations use no app types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
	await db.schema
		.createTable('study_unlock_request')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('study_id', 'integer', (c) => c.notNull().references('study.id'))
		.addColumn('lock_id', 'integer', (c) => c.notNull().references('study_lock.id'))
		.addColumn('reason', 'text', (c) => c.notNull())
		.addColumn('requested_at', 'text', (c) => c.notNull())
		// A user, or null with `requested_by_label` naming the command-line operator.
		.addColumn('requested_by', 'integer', (c) => c.references('user.id'))
		.addColumn('requested_by_label', 'text', (c) => c.notNull())
		// 'approved' or 'declined'; null while waiting.
		.addColumn('decision', 'text')
		.addColumn('decided_at', 'text')
		.addColumn('decided_by', 'integer', (c) => c.references('user.id'))
		.addColumn('decided_by_label', 'text')
		.addColumn('decision_note', 'text')
		.execute();
	await db.schema
		.createIndex('study_unlock_request_study_idx')
		.on('study_unlock_request')
		.columns(['study_id', 'decision'])
		.execute();
}

export async function down(db: AnyDb): Promise<void> {
	await db.schema.dropTable('study_unlock_request').execute();
}

// Frozen once landed: never edit; add a new migration instead.
// Alerts that reach people away from the board: each site's on-call roster (who, when), and every
// e-mail alert sent, so one event is announced once.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations use no app types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
	await db.schema
		.createTable('on_call')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('site_id', 'integer', (c) => c.notNull().references('site.id'))
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('email', 'text', (c) => c.notNull())
		.addColumn('starts_at', 'text', (c) => c.notNull())
		.addColumn('ends_at', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('removed_at', 'text')
		.execute();
	await db.schema
		.createIndex('on_call_site_idx')
		.on('on_call')
		.columns(['site_id', 'starts_at'])
		.execute();
	await db.schema
		.createTable('alert_sent')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('entity_type', 'text', (c) => c.notNull())
		.addColumn('entity_id', 'integer', (c) => c.notNull())
		.addColumn('site_id', 'integer', (c) => c.notNull().references('site.id'))
		.addColumn('recipients', 'text', (c) => c.notNull())
		.addColumn('sent_at', 'text', (c) => c.notNull())
		.addUniqueConstraint('alert_sent_once', ['kind', 'entity_type', 'entity_id'])
		.execute();
}

export async function down(db: AnyDb): Promise<void> {
	await db.schema.dropTable('alert_sent').execute();
	await db.schema.dropTable('on_call').execute();
}

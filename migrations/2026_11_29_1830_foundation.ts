// Frozen once landed: never edit; add a new migration instead. (Its triggers were routed through
// ./dialect for PostgreSQL; the SQLite schema it builds is unchanged, see tests/integration/schema.)
import type { Kysely } from 'kysely';
import { refuseChange } from './dialect';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and must not import app types
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('site')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('code', 'text', (c) => c.notNull().unique())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('timezone', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('user')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('email', 'text', (c) => c.notNull().unique())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('role', 'text', (c) => c.notNull())
		.addColumn('password_hash', 'text', (c) => c.notNull())
		.addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('disabled_at', 'text')
		.addColumn('failed_sign_ins', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('last_failed_sign_in_at', 'integer')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('user_site')
		.addColumn('user_id', 'integer', (c) => c.notNull().references('user.id'))
		.addColumn('site_id', 'integer', (c) => c.notNull().references('site.id'))
		.addPrimaryKeyConstraint('user_site_pk', ['user_id', 'site_id'])
		.execute();

	await db.schema
		.createTable('session')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('user_id', 'integer', (c) => c.notNull().references('user.id'))
		.addColumn('created_at', 'integer', (c) => c.notNull())
		.addColumn('last_active_at', 'integer', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('session_user_idx').on('session').column('user_id').execute();

	await db.schema
		.createTable('audit_event')
		.addColumn('seq', 'integer', (c) => c.primaryKey())
		.addColumn('at', 'text', (c) => c.notNull())
		.addColumn('actor_id', 'integer')
		.addColumn('actor_label', 'text', (c) => c.notNull())
		.addColumn('actor_role', 'text', (c) => c.notNull())
		.addColumn('site_id', 'integer')
		.addColumn('action', 'text', (c) => c.notNull())
		.addColumn('entity_type', 'text', (c) => c.notNull())
		.addColumn('entity_id', 'text')
		.addColumn('old_values', 'text')
		.addColumn('new_values', 'text')
		.addColumn('reason', 'text')
		.addColumn('request_id', 'text')
		.addColumn('prev_hash', 'text', (c) => c.notNull())
		.addColumn('hash', 'text', (c) => c.notNull().unique())
		.execute();
	await db.schema
		.createIndex('audit_event_entity_idx')
		.on('audit_event')
		.columns(['entity_type', 'entity_id'])
		.execute();
	await db.schema.createIndex('audit_event_site_idx').on('audit_event').column('site_id').execute();

	// The chain head, written in the same transaction as each event, so that cutting rows off the
	// end of the trail is detected too (signed checkpoints cover a rewrite of both).
	await db.schema
		.createTable('audit_head')
		.addColumn('id', 'integer', (c) => c.primaryKey())
		.addColumn('seq', 'integer', (c) => c.notNull())
		.addColumn('hash', 'text', (c) => c.notNull())
		.execute();

	// Append-only: refuse UPDATE and DELETE on the trail (a trigger in each dialect).
	await refuseChange(db, {
		trigger: 'audit_event_no_update',
		operation: 'UPDATE',
		table: 'audit_event',
		message: 'audit_event is append-only'
	});
	await refuseChange(db, {
		trigger: 'audit_event_no_delete',
		operation: 'DELETE',
		table: 'audit_event',
		message: 'audit_event is append-only'
	});
	await refuseChange(db, {
		trigger: 'audit_head_no_delete',
		operation: 'DELETE',
		table: 'audit_head',
		message: 'audit_head cannot be deleted'
	});
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
	for (const t of ['audit_head', 'audit_event', 'session', 'user_site', 'user', 'site']) {
		await db.schema.dropTable(t).execute();
	}
}

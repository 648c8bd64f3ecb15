// Frozen once landed: never edit; add a new migration instead.
// Several app instances on one PostgreSQL database: every audit entry (every write has one) sends
// its site on the 'vigil_changes' channel when it commits, so live boards and session charts on
// every instance update at once. Nothing on SQLite (one process serves it).
import { sql, type Kysely } from 'kysely';
import { isPostgres, notifyOnInsert } from './dialect';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations use no app types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
	await notifyOnInsert(db, {
		trigger: 'audit_event_notify',
		table: 'audit_event',
		channel: 'vigil_changes',
		payloadColumn: 'site_id'
	});
}

export async function down(db: AnyDb): Promise<void> {
	if (!isPostgres(db)) return;
	await sql`DROP TRIGGER IF EXISTS audit_event_notify ON audit_event`.execute(db);
	await sql`DROP FUNCTION IF EXISTS audit_event_notify_fn()`.execute(db);
}

// Frozen once landed: never edit; add a new migration instead. (Its triggers were routed through
// ./dialect for PostgreSQL; the SQLite schema it builds is unchanged, see tests/integration/schema.)
// Signed checkpoints of the audit chain head: an Ed25519 signature over (seq, hash, time), made
// with a key kept outside the database, so a rewrite of the whole trail (a fresh, consistent chain)
// no longer matches the heads signed before it.
import type { Kysely } from 'kysely';
import { refuseChange } from './dialect';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations use no app types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
	await db.schema
		.createTable('audit_checkpoint')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('seq', 'integer', (c) => c.notNull())
		.addColumn('hash', 'text', (c) => c.notNull())
		.addColumn('signed_at', 'text', (c) => c.notNull())
		.addColumn('signature', 'text', (c) => c.notNull())
		.addColumn('public_key_fingerprint', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('audit_checkpoint_seq_idx')
		.on('audit_checkpoint')
		.column('seq')
		.execute();
	// Append-only, as the trail itself.
	await refuseChange(db, {
		trigger: 'audit_checkpoint_no_update',
		operation: 'UPDATE',
		table: 'audit_checkpoint',
		message: 'audit_checkpoint is append-only'
	});
	await refuseChange(db, {
		trigger: 'audit_checkpoint_no_delete',
		operation: 'DELETE',
		table: 'audit_checkpoint',
		message: 'audit_checkpoint is append-only'
	});
}

export async function down(db: AnyDb): Promise<void> {
	await db.schema.dropTable('audit_checkpoint').execute();
}

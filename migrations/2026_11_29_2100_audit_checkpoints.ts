// Frozen once landed: never edit; add a new migration instead.
// Signed checkpoints of the audit chain head: an Ed25519 signature over (seq, hash, time), made
// with a key kept outside the database, so a rewrite of the whole trail (a fresh, consistent chain)
// no longer matches the heads signed before it.
import { sql, type Kysely } from 'kysely';

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
	await sql`CREATE TRIGGER audit_checkpoint_no_update BEFORE UPDATE ON audit_checkpoint
		BEGIN SELECT RAISE(ABORT, 'audit_checkpoint is append-only'); END`.execute(db);
	await sql`CREATE TRIGGER audit_checkpoint_no_delete BEFORE DELETE ON audit_checkpoint
		BEGIN SELECT RAISE(ABORT, 'audit_checkpoint is append-only'); END`.execute(db);
}

export async function down(db: AnyDb): Promise<void> {
	await db.schema.dropTable('audit_checkpoint').execute();
}

// Frozen once landed: never edit; add a new migration instead.
// The chain head is signed in the same transaction as every append (Ed25519, key outside the
// database), so cutting, appending or rewriting any suffix of the trail without the key shows.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations use no app types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
	await db.schema.alterTable('audit_head').addColumn('signature', 'text').execute();
	await db.schema.alterTable('audit_head').addColumn('key_fingerprint', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
	await db.schema.alterTable('audit_head').dropColumn('key_fingerprint').execute();
	await db.schema.alterTable('audit_head').dropColumn('signature').execute();
}

// Frozen once landed: never edit; add a new migration instead.
// API tokens get an expiry and a scope: 'write' (the user's full access) or 'read' (GET only,
// for auditors' scripts). Tokens made before this have no recorded expiry; the service reads
// theirs as created_at plus the configured lifetime.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations use no app types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
	await db.schema.alterTable('api_token').addColumn('expires_at', 'text').execute();
	await db.schema
		.alterTable('api_token')
		.addColumn('scope', 'text', (c) => c.notNull().defaultTo('write'))
		.execute();
	await db.schema.alterTable('api_token').addColumn('revoked_cause', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
	await db.schema.alterTable('api_token').dropColumn('revoked_cause').execute();
	await db.schema.alterTable('api_token').dropColumn('scope').execute();
	await db.schema.alterTable('api_token').dropColumn('expires_at').execute();
}

// Frozen once landed: never edit; add a new migration instead.
// When the site sent the SAE report to the sponsor, and the SUSAR report to the regulators: the
// reporting clocks stop there.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations use no app types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
	await db.schema.alterTable('adverse_event').addColumn('sae_reported_at', 'text').execute();
	await db.schema
		.alterTable('adverse_event')
		.addColumn('sae_reported_by', 'integer', (c) => c.references('user.id'))
		.execute();
	await db.schema.alterTable('adverse_event').addColumn('susar_reported_at', 'text').execute();
	await db.schema
		.alterTable('adverse_event')
		.addColumn('susar_reported_by', 'integer', (c) => c.references('user.id'))
		.execute();
}

export async function down(db: AnyDb): Promise<void> {
	for (const c of [
		'susar_reported_by',
		'susar_reported_at',
		'sae_reported_by',
		'sae_reported_at'
	]) {
		await db.schema.alterTable('adverse_event').dropColumn(c).execute();
	}
}

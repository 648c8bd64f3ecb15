// Frozen once landed: never edit; add a new migration instead.
// A scheduled reading recorded as not done, with the reason (SDTM VSSTAT = NOT DONE, VSREASND);
// and the idempotency key a device sends with a reading, so a retried send never stores it twice.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations use no app types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
	await db.schema.alterTable('vital_reading').addColumn('not_done_reason', 'text').execute();
	await db.schema.alterTable('vital_reading').addColumn('client_key', 'text').execute();
	await db.schema
		.createIndex('vital_reading_client_key_idx')
		.on('vital_reading')
		.columns(['dosing_session_id', 'client_key'])
		.unique()
		.execute();
}

export async function down(db: AnyDb): Promise<void> {
	await db.schema.dropIndex('vital_reading_client_key_idx').execute();
	await db.schema.alterTable('vital_reading').dropColumn('client_key').execute();
	await db.schema.alterTable('vital_reading').dropColumn('not_done_reason').execute();
}

// Frozen once landed: never edit; add a new migration instead.
// SDV progress reads a summary instead of every record's fields (issue 10): one row per standing
// record the active protocol asks to verify against source (its study, site and participant; the
// protocol's fields on it, how many stand verified and how many changed since verified; the
// record's status), kept by every write that can move it (services/monitoring/sdv-summary.ts).
// The counts come from the field-by-field SDV rules (domain code a frozen migration cannot copy),
// so the backfill is left to the app: the name goes into pending_backfill and the next start-up
// or `vigil migrate` fills the table (runPendingBackfills).
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations use no app types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
	await db.schema
		.createTable('sdv_record_status')
		.addColumn('entity_type', 'text', (c) => c.notNull())
		.addColumn('entity_id', 'integer', (c) => c.notNull())
		.addColumn('study_id', 'integer', (c) => c.notNull())
		.addColumn('site_id', 'integer', (c) => c.notNull())
		.addColumn('participant_id', 'integer', (c) => c.notNull())
		.addColumn('field_count', 'integer', (c) => c.notNull())
		.addColumn('fields_verified', 'integer', (c) => c.notNull())
		.addColumn('fields_changed', 'integer', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('sdv_record_status_pk', ['entity_type', 'entity_id'])
		.execute();
	// A participant's rows (their progress; a page of participants).
	await db.schema
		.createIndex('sdv_record_status_participant_idx')
		.on('sdv_record_status')
		.column('participant_id')
		.execute();
	// Per-site progress read from the index alone.
	await db.schema
		.createIndex('sdv_record_status_site_idx')
		.on('sdv_record_status')
		.columns(['site_id', 'status', 'field_count', 'fields_verified', 'fields_changed'])
		.execute();
	await db.insertInto('pending_backfill').values({ name: 'sdv_record_status' }).execute();
}

export async function down(db: AnyDb): Promise<void> {
	await db.deleteFrom('pending_backfill').where('name', '=', 'sdv_record_status').execute();
	await db.schema.dropTable('sdv_record_status').execute();
}

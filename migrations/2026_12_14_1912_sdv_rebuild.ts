// Frozen once landed: never edit; add a new migration instead.
// A study's SDV summary rebuilt after commit, a window of records at a time (issue 10): activating
// a protocol version with other SDV settings used to rebuild the study's sdv_record_status rows in
// the activation's transaction (9 s of the writer at the trial tier). The activation now records
// here where the rebuild stands (the record type and the last id done), and each window is its
// own short write transaction that moves this row on; the row is deleted when the rebuild is done.
// While a study has a row its progress is computed from the records (services/monitoring/
// sdv-progress.ts); a process stopped mid-rebuild resumes it at start-up (runPendingBackfills).
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations use no app types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
	await db.schema
		.createTable('sdv_rebuild')
		.addColumn('study_id', 'integer', (c) => c.primaryKey())
		.addColumn('entity_type', 'text', (c) => c.notNull())
		.addColumn('after_id', 'integer', (c) => c.notNull())
		.execute();
}

export async function down(db: AnyDb): Promise<void> {
	await db.schema.dropTable('sdv_rebuild').execute();
}

// Frozen once landed: never edit; add a new migration instead.
// The cohort's time-to-relapse curve reads a stored outcome per dosed participant (issue 10): the
// weeks from first remission to relapse or censoring (null: never remitted) and whether it ended
// in a relapse, by the active protocol's relapse settings. Kept by each scale, adverse-event or
// participant write and rebuilt when a version is activated (services/dashboards/
// relapse-outcomes.ts). Relapse detection is domain code a frozen migration cannot copy, so this
// migration only creates the table: the app fills it right after applying it
// (backfillAfterMigrations, at start-up and in `vigil migrate`).
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations use no app types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
	await db.schema
		.createTable('relapse_outcome')
		.addColumn('participant_id', 'integer', (c) => c.notNull().primaryKey())
		.addColumn('study_id', 'integer', (c) => c.notNull())
		.addColumn('site_id', 'integer', (c) => c.notNull())
		.addColumn('dose_group', 'text', (c) => c.notNull())
		.addColumn('weeks', 'real')
		.addColumn('event', 'integer', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('relapse_outcome_study_idx')
		.on('relapse_outcome')
		.columns(['study_id', 'site_id', 'dose_group', 'participant_id', 'weeks', 'event'])
		.execute();
}

export async function down(db: AnyDb): Promise<void> {
	await db.schema.dropTable('relapse_outcome').execute();
}

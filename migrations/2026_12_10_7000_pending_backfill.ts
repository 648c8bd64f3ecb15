// Frozen once landed: never edit; add a new migration instead.
// Backfills a migration cannot do itself (they need domain code a frozen migration cannot copy)
// are recorded here by name, in the migration's own transaction, and done by the app at its next
// start-up or `vigil migrate` (services/dashboards/summaries.ts, runPendingBackfills), each in one
// transaction with the deletion of its row. A process that stops between the migration and the
// backfill, or a database copied (`db copy`) from a source migrated without it, keeps the row, so
// the backfill is never lost. The first: relapse_outcome (2026_12_10_3010), which was filled only
// right after that migration was applied, and so never in a copy made by `db copy` from a source
// the copy itself migrated.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations use no app types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
	await db.schema
		.createTable('pending_backfill')
		.addColumn('name', 'text', (c) => c.notNull().primaryKey())
		.execute();
	await db.insertInto('pending_backfill').values({ name: 'relapse_outcome' }).execute();
}

export async function down(db: AnyDb): Promise<void> {
	await db.schema.dropTable('pending_backfill').execute();
}

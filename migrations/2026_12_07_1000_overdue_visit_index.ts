// Frozen once landed: never edit; add a new migration instead.
// Overdue visits are read a page at a time per site (open visits whose window closed, oldest
// first): an index in that order, so a page costs what it shows at a site months into a trial.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations use no app types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
	await db.schema
		.createIndex('visit_overdue_idx')
		.on('visit')
		.columns(['site_id', 'status', 'window_end', 'id'])
		.execute();
}

export async function down(db: AnyDb): Promise<void> {
	await db.schema.dropIndex('visit_overdue_idx').execute();
}

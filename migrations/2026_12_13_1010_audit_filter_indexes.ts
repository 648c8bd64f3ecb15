// Frozen once landed: never edit; add a new migration instead.
// The audit explorer's filters by record type and by action, newest first (issue 10): each walks
// its own index in seq order and stops after the page, where a rare action (2,000 of 3.4 M events
// at the trial tier) read the trail from the newest row until it had a page, and a record type
// read every event of the type to sort them.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations use no app types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
	await db.schema
		.createIndex('audit_event_type_seq_idx')
		.on('audit_event')
		.columns(['entity_type', 'seq'])
		.execute();
	await db.schema
		.createIndex('audit_event_action_seq_idx')
		.on('audit_event')
		.columns(['action', 'seq'])
		.execute();
}

export async function down(db: AnyDb): Promise<void> {
	await db.schema.dropIndex('audit_event_action_seq_idx').execute();
	await db.schema.dropIndex('audit_event_type_seq_idx').execute();
}

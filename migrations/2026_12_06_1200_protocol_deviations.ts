// Frozen once landed: never edit; add a new migration instead.
// Protocol deviations (DOMAIN-2.md §7; SDTM DV): category, description, when, who, the ICH E3
// "important" marker, the rule that found it (or a person), and the record that caused it.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations use no app types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
	await db.schema
		.createTable('protocol_deviation')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('study_id', 'integer', (c) => c.notNull().references('study.id'))
		.addColumn('participant_id', 'integer', (c) => c.notNull().references('participant.id'))
		.addColumn('site_id', 'integer', (c) => c.notNull().references('site.id'))
		.addColumn('visit_id', 'integer', (c) => c.references('visit.id'))
		.addColumn('dosing_session_id', 'integer', (c) => c.references('dosing_session.id'))
		.addColumn('category', 'text', (c) => c.notNull())
		.addColumn('description', 'text', (c) => c.notNull())
		.addColumn('important', 'integer', (c) => c.notNull())
		.addColumn('source', 'text', (c) => c.notNull())
		.addColumn('rule_id', 'text')
		.addColumn('source_type', 'text')
		.addColumn('source_id', 'integer')
		.addColumn('occurred_at', 'text', (c) => c.notNull())
		.addColumn('reason', 'text')
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('created_by', 'integer', (c) => c.references('user.id'))
		.addColumn('updated_at', 'text')
		.addColumn('updated_by', 'integer', (c) => c.references('user.id'))
		.addColumn('entered_in_error_at', 'text')
		.addColumn('entered_in_error_reason', 'text')
		.execute();
	await db.schema
		.createIndex('protocol_deviation_participant_idx')
		.on('protocol_deviation')
		.column('participant_id')
		.execute();
	await db.schema
		.createIndex('protocol_deviation_site_idx')
		.on('protocol_deviation')
		.columns(['site_id', 'occurred_at'])
		.execute();
}

export async function down(db: AnyDb): Promise<void> {
	await db.schema.dropTable('protocol_deviation').execute();
}

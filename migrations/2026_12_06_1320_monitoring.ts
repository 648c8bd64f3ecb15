// Frozen once landed: never edit; add a new migration instead.
// Monitoring (DOMAIN-2 §8): data queries on a record's field and their steps, source data
// verification bound to the record version verified, casebook freezes and study locks.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations use no app types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
	await db.schema
		.createTable('data_query')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('site_id', 'integer', (c) => c.notNull().references('site.id'))
		.addColumn('participant_id', 'integer', (c) => c.notNull().references('participant.id'))
		.addColumn('entity_type', 'text', (c) => c.notNull())
		.addColumn('entity_id', 'integer', (c) => c.notNull())
		.addColumn('field', 'text', (c) => c.notNull())
		.addColumn('queried_value', 'text')
		.addColumn('expected_value', 'text')
		.addColumn('text', 'text', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('raised_by', 'integer', (c) => c.references('user.id'))
		.addColumn('raised_at', 'text', (c) => c.notNull())
		.addColumn('changed_at', 'text', (c) => c.notNull())
		.addColumn('closed_at', 'text')
		.execute();
	await db.schema
		.createIndex('data_query_record_idx')
		.on('data_query')
		.columns(['entity_type', 'entity_id'])
		.execute();
	await db.schema
		.createIndex('data_query_site_idx')
		.on('data_query')
		.columns(['site_id', 'status'])
		.execute();
	await db.schema
		.createTable('data_query_step')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('query_id', 'integer', (c) => c.notNull().references('data_query.id'))
		.addColumn('step', 'text', (c) => c.notNull())
		.addColumn('at', 'text', (c) => c.notNull())
		.addColumn('actor_id', 'integer', (c) => c.references('user.id'))
		.addColumn('actor_name', 'text', (c) => c.notNull())
		.addColumn('actor_role', 'text', (c) => c.notNull())
		.addColumn('text', 'text')
		.addColumn('value', 'text')
		.execute();
	await db.schema
		.createIndex('data_query_step_query_idx')
		.on('data_query_step')
		.column('query_id')
		.execute();
	await db.schema
		.createTable('source_verification')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('site_id', 'integer', (c) => c.notNull().references('site.id'))
		.addColumn('participant_id', 'integer', (c) => c.notNull().references('participant.id'))
		.addColumn('entity_type', 'text', (c) => c.notNull())
		.addColumn('entity_id', 'integer', (c) => c.notNull())
		// Null: the whole record; else one field.
		.addColumn('field', 'text')
		// The field's value verified (JSON text): a different value later is a change.
		.addColumn('value', 'text')
		.addColumn('entity_version', 'integer', (c) => c.notNull())
		.addColumn('source', 'text')
		.addColumn('verified_by', 'integer', (c) => c.references('user.id'))
		.addColumn('verified_by_name', 'text', (c) => c.notNull())
		.addColumn('verified_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('source_verification_record_idx')
		.on('source_verification')
		.columns(['entity_type', 'entity_id'])
		.execute();
	await db.schema
		.createTable('casebook_freeze')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('participant_id', 'integer', (c) => c.notNull().references('participant.id'))
		.addColumn('site_id', 'integer', (c) => c.notNull().references('site.id'))
		.addColumn('frozen_at', 'text', (c) => c.notNull())
		.addColumn('frozen_by', 'integer', (c) => c.references('user.id'))
		.addColumn('reason', 'text')
		.addColumn('unfrozen_at', 'text')
		.addColumn('unfrozen_by', 'integer', (c) => c.references('user.id'))
		.addColumn('unfreeze_reason', 'text')
		.execute();
	await db.schema
		.createIndex('casebook_freeze_participant_idx')
		.on('casebook_freeze')
		.column('participant_id')
		.execute();
	await db.schema
		.createTable('study_lock')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('study_id', 'integer', (c) => c.notNull().references('study.id'))
		.addColumn('locked_at', 'text', (c) => c.notNull())
		.addColumn('locked_by', 'integer', (c) => c.references('user.id'))
		.addColumn('reason', 'text')
		.addColumn('unlocked_at', 'text')
		.addColumn('unlocked_by', 'integer', (c) => c.references('user.id'))
		.addColumn('unlock_reason', 'text')
		.execute();
}

export async function down(db: AnyDb): Promise<void> {
	for (const t of [
		'study_lock',
		'casebook_freeze',
		'source_verification',
		'data_query_step',
		'data_query'
	]) {
		await db.schema.dropTable(t).execute();
	}
}

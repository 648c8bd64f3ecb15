// Frozen once landed: never edit; add a new migration instead.
// Safety monitoring: flags and their lifecycle, and investigators' electronic signatures.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations use no app types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
	await db.schema
		.createTable('flag')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('study_id', 'integer', (c) => c.notNull().references('study.id'))
		.addColumn('protocol_version_id', 'integer', (c) =>
			c.notNull().references('protocol_version.id')
		)
		.addColumn('rule_id', 'text', (c) => c.notNull())
		.addColumn('level', 'text', (c) => c.notNull())
		.addColumn('participant_id', 'integer', (c) => c.notNull().references('participant.id'))
		.addColumn('site_id', 'integer', (c) => c.notNull().references('site.id'))
		.addColumn('source_type', 'text', (c) => c.notNull())
		.addColumn('source_id', 'integer', (c) => c.notNull())
		.addColumn('dosing_session_id', 'integer', (c) => c.references('dosing_session.id'))
		.addColumn('condition_key', 'text', (c) => c.notNull())
		.addColumn('trigger_values', 'text', (c) => c.notNull())
		.addColumn('message', 'text', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('raised_at', 'text', (c) => c.notNull())
		.addColumn('acknowledged_at', 'text')
		.addColumn('acknowledged_by', 'integer', (c) => c.references('user.id'))
		.addColumn('action_at', 'text')
		.addColumn('action_by', 'integer', (c) => c.references('user.id'))
		.addColumn('action_category', 'text')
		.addColumn('action_text', 'text')
		.addColumn('closed_at', 'text')
		.addColumn('closed_by', 'integer', (c) => c.references('user.id'))
		.addColumn('outcome', 'text')
		.addColumn('auto_closed', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('escalated_at', 'text')
		.addColumn('changed_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('flag_site_status_idx')
		.on('flag')
		.columns(['site_id', 'status'])
		.execute();
	await db.schema
		.createIndex('flag_source_idx')
		.on('flag')
		.columns(['source_type', 'source_id'])
		.execute();
	await db.schema.createIndex('flag_session_idx').on('flag').column('dosing_session_id').execute();
	await db.schema.createIndex('flag_participant_idx').on('flag').column('participant_id').execute();
	await db.schema
		.createIndex('flag_changed_idx')
		.on('flag')
		.columns(['site_id', 'changed_at'])
		.execute();

	await db.schema
		.createTable('signature')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('entity_type', 'text', (c) => c.notNull())
		.addColumn('entity_id', 'integer', (c) => c.notNull())
		.addColumn('entity_version', 'integer', (c) => c.notNull())
		.addColumn('site_id', 'integer', (c) => c.notNull().references('site.id'))
		.addColumn('signer_id', 'integer', (c) => c.notNull().references('user.id'))
		.addColumn('signer_name', 'text', (c) => c.notNull())
		.addColumn('meaning', 'text', (c) => c.notNull())
		.addColumn('signed_at', 'text', (c) => c.notNull())
		.addColumn('voided_at', 'text')
		.addColumn('voided_reason', 'text')
		.execute();
	await db.schema
		.createIndex('signature_entity_idx')
		.on('signature')
		.columns(['entity_type', 'entity_id'])
		.execute();
}

export async function down(db: AnyDb): Promise<void> {
	await db.schema.dropTable('signature').execute();
	await db.schema.dropTable('flag').execute();
}

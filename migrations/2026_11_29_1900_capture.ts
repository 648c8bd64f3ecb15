// Frozen once landed: never edit; add a new migration instead.
// Study data capture: studies and protocol versions, participants, visits, dosing sessions,
// vital signs, adverse events, rating scales, and personal API tokens.
import type { CreateTableBuilder, Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations use no app types
type AnyDb = Kysely<any>;

/** Columns every clinical record has: who made it, its version, and entered-in-error. */
function recordColumns<T extends string>(t: CreateTableBuilder<T, never>) {
	return t
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('created_by', 'integer', (c) => c.references('user.id'))
		.addColumn('updated_at', 'text')
		.addColumn('updated_by', 'integer', (c) => c.references('user.id'))
		.addColumn('entered_in_error_at', 'text')
		.addColumn('entered_in_error_reason', 'text');
}

export async function up(db: AnyDb): Promise<void> {
	await db.schema
		.createTable('study')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('code', 'text', (c) => c.notNull().unique())
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('protocol_version')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('study_id', 'integer', (c) => c.notNull().references('study.id'))
		.addColumn('version', 'text', (c) => c.notNull())
		.addColumn('definition', 'text', (c) => c.notNull())
		.addColumn('loaded_at', 'text', (c) => c.notNull())
		.addColumn('loaded_by', 'text', (c) => c.notNull())
		.addColumn('activated_at', 'text')
		.addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(0))
		.addUniqueConstraint('protocol_version_study_version', ['study_id', 'version'])
		.execute();

	await recordColumns(
		db.schema
			.createTable('participant')
			.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
			.addColumn('study_id', 'integer', (c) => c.notNull().references('study.id'))
			.addColumn('site_id', 'integer', (c) => c.notNull().references('site.id'))
			.addColumn('subject_code', 'text', (c) => c.notNull())
			.addColumn('status', 'text', (c) => c.notNull())
			.addColumn('status_reason', 'text')
			.addColumn('sex', 'text', (c) => c.notNull())
			.addColumn('birth_year', 'integer', (c) => c.notNull())
			.addColumn('dose_group', 'text', (c) => c.notNull())
			.addColumn('enrolled_on', 'text')
			.addUniqueConstraint('participant_subject_code', ['study_id', 'subject_code'])
	).execute();
	await db.schema.createIndex('participant_site_idx').on('participant').column('site_id').execute();

	await recordColumns(
		db.schema
			.createTable('visit')
			.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
			.addColumn('participant_id', 'integer', (c) => c.notNull().references('participant.id'))
			.addColumn('site_id', 'integer', (c) => c.notNull().references('site.id'))
			.addColumn('visit_code', 'text', (c) => c.notNull())
			.addColumn('label', 'text', (c) => c.notNull())
			.addColumn('kind', 'text', (c) => c.notNull())
			.addColumn('sequence', 'integer', (c) => c.notNull())
			.addColumn('planned_on', 'text')
			.addColumn('window_start', 'text')
			.addColumn('window_end', 'text')
			.addColumn('actual_on', 'text')
			.addColumn('status', 'text', (c) => c.notNull())
			.addColumn('missed_reason', 'text')
			.addUniqueConstraint('visit_participant_code', ['participant_id', 'visit_code'])
	).execute();
	await db.schema
		.createIndex('visit_site_idx')
		.on('visit')
		.columns(['site_id', 'status'])
		.execute();

	await recordColumns(
		db.schema
			.createTable('dosing_session')
			.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
			.addColumn('participant_id', 'integer', (c) => c.notNull().references('participant.id'))
			.addColumn('site_id', 'integer', (c) => c.notNull().references('site.id'))
			.addColumn('visit_id', 'integer', (c) => c.references('visit.id'))
			.addColumn('session_number', 'integer', (c) => c.notNull())
			.addColumn('t0', 'text', (c) => c.notNull())
			.addColumn('initial_dose_mg', 'real', (c) => c.notNull())
			.addColumn('supplemental_dose_mg', 'real')
			.addColumn('supplemental_at', 'text')
			.addColumn('supplemental_not_given_reason', 'text')
			.addColumn('supplemental_override_reason', 'text')
			.addColumn('ended_at', 'text')
	).execute();
	await db.schema
		.createIndex('dosing_session_participant_idx')
		.on('dosing_session')
		.column('participant_id')
		.execute();
	await db.schema
		.createIndex('dosing_session_site_idx')
		.on('dosing_session')
		.columns(['site_id', 't0'])
		.execute();

	await recordColumns(
		db.schema
			.createTable('vital_reading')
			.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
			.addColumn('dosing_session_id', 'integer', (c) => c.notNull().references('dosing_session.id'))
			.addColumn('participant_id', 'integer', (c) => c.notNull().references('participant.id'))
			.addColumn('site_id', 'integer', (c) => c.notNull().references('site.id'))
			.addColumn('timepoint_minutes', 'integer')
			.addColumn('timepoint_label', 'text', (c) => c.notNull())
			.addColumn('measured_at', 'text', (c) => c.notNull())
			.addColumn('systolic', 'integer')
			.addColumn('diastolic', 'integer')
			.addColumn('heart_rate', 'integer')
			.addColumn('temperature_c', 'real')
			.addColumn('temperature_entered', 'text')
			.addColumn('position', 'text')
			.addColumn('source', 'text', (c) => c.notNull())
	).execute();
	await db.schema
		.createIndex('vital_reading_session_idx')
		.on('vital_reading')
		.columns(['dosing_session_id', 'measured_at'])
		.execute();

	await recordColumns(
		db.schema
			.createTable('adverse_event')
			.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
			.addColumn('participant_id', 'integer', (c) => c.notNull().references('participant.id'))
			.addColumn('site_id', 'integer', (c) => c.notNull().references('site.id'))
			.addColumn('dosing_session_id', 'integer', (c) => c.references('dosing_session.id'))
			.addColumn('verbatim_term', 'text', (c) => c.notNull())
			.addColumn('coded_term_code', 'text')
			.addColumn('onset_at', 'text', (c) => c.notNull())
			.addColumn('end_at', 'text')
			.addColumn('aware_at', 'text', (c) => c.notNull())
			.addColumn('severity_scale', 'text', (c) => c.notNull())
			.addColumn('severity', 'text', (c) => c.notNull())
			.addColumn('criteria', 'text', (c) => c.notNull())
			.addColumn('serious', 'integer', (c) => c.notNull())
			.addColumn('relatedness', 'text', (c) => c.notNull())
			.addColumn('expectedness', 'text', (c) => c.notNull())
			.addColumn('action_taken', 'text', (c) => c.notNull())
			.addColumn('outcome', 'text', (c) => c.notNull())
			.addColumn('notes', 'text')
	).execute();
	await db.schema
		.createIndex('adverse_event_participant_idx')
		.on('adverse_event')
		.column('participant_id')
		.execute();
	await db.schema
		.createIndex('adverse_event_site_idx')
		.on('adverse_event')
		.column('site_id')
		.execute();

	await recordColumns(
		db.schema
			.createTable('scale_administration')
			.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
			.addColumn('participant_id', 'integer', (c) => c.notNull().references('participant.id'))
			.addColumn('site_id', 'integer', (c) => c.notNull().references('site.id'))
			.addColumn('visit_id', 'integer', (c) => c.references('visit.id'))
			.addColumn('instrument', 'text', (c) => c.notNull())
			.addColumn('administered_at', 'text', (c) => c.notNull())
			.addColumn('answers', 'text', (c) => c.notNull())
			.addColumn('complete', 'integer', (c) => c.notNull())
			.addColumn('total', 'integer')
			.addColumn('band', 'text')
			.addColumn('result', 'text', (c) => c.notNull())
	).execute();
	await db.schema
		.createIndex('scale_administration_participant_idx')
		.on('scale_administration')
		.columns(['participant_id', 'instrument'])
		.execute();

	await db.schema
		.createTable('api_token')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('user_id', 'integer', (c) => c.notNull().references('user.id'))
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('token_hash', 'text', (c) => c.notNull().unique())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('last_used_at', 'text')
		.addColumn('revoked_at', 'text')
		.execute();
}

export async function down(db: AnyDb): Promise<void> {
	for (const t of [
		'api_token',
		'scale_administration',
		'adverse_event',
		'vital_reading',
		'dosing_session',
		'visit',
		'participant',
		'protocol_version',
		'study'
	]) {
		await db.schema.dropTable(t).execute();
	}
}

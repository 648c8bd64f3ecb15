// Frozen once landed: never edit; add a new migration instead.
// The trial around the session (issue 14): consent form versions and records, the concealed
// allocation list and each participant's randomisation (with emergency unblinding), concomitant
// medications, blinding guesses, and one-time ePRO links. Scale administrations learn who
// originated them (staff or the participant through ePRO).
import type { CreateTableBuilder, Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations use no app types
type AnyDb = Kysely<any>;

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
		.createTable('consent_form_version')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('study_id', 'integer', (c) => c.notNull().references('study.id'))
		.addColumn('label', 'text', (c) => c.notNull())
		.addColumn('language', 'text', (c) => c.notNull())
		.addColumn('approved_on', 'text', (c) => c.notNull())
		.addColumn('active_from', 'text', (c) => c.notNull())
		.addColumn('reconsent_required', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('summary', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('created_by', 'integer', (c) => c.references('user.id'))
		.addUniqueConstraint('consent_form_version_label', ['study_id', 'label'])
		.execute();

	await recordColumns(
		db.schema
			.createTable('consent_record')
			.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
			.addColumn('participant_id', 'integer', (c) => c.notNull().references('participant.id'))
			.addColumn('site_id', 'integer', (c) => c.notNull().references('site.id'))
			.addColumn('form_version_id', 'integer', (c) =>
				c.notNull().references('consent_form_version.id')
			)
			.addColumn('signed_at', 'text', (c) => c.notNull())
			.addColumn('signer', 'text', (c) => c.notNull())
			.addColumn('lar_name', 'text')
			.addColumn('lar_relation', 'text')
			.addColumn('obtained_by_name', 'text', (c) => c.notNull())
			.addColumn('witness_name', 'text')
			.addColumn('copy_given_on', 'text')
			.addColumn('copy_medium', 'text')
			.addColumn('reconsent_reason', 'text')
			.addColumn('withdrawn_at', 'text')
			.addColumn('withdrawal_scope', 'text')
	).execute();
	await db.schema
		.createIndex('consent_record_participant_idx')
		.on('consent_record')
		.column('participant_id')
		.execute();

	// The seed and the list: readable only through the unblinded services, never a page for blinded
	// roles, never an export, never the audit trail (which holds the digest and parameters).
	await db.schema
		.createTable('randomisation_seed')
		.addColumn('study_id', 'integer', (c) => c.primaryKey().references('study.id'))
		.addColumn('seed', 'text', (c) => c.notNull())
		.addColumn('algorithm', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('allocation_slot')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('study_id', 'integer', (c) => c.notNull().references('study.id'))
		.addColumn('stratum', 'text', (c) => c.notNull())
		.addColumn('sequence', 'integer', (c) => c.notNull())
		.addColumn('block', 'integer', (c) => c.notNull())
		.addColumn('block_size', 'integer', (c) => c.notNull())
		.addColumn('arm', 'text', (c) => c.notNull())
		.addColumn('kit', 'text', (c) => c.notNull())
		.addColumn('participant_id', 'integer', (c) => c.references('participant.id').unique())
		.addUniqueConstraint('allocation_slot_sequence', ['study_id', 'stratum', 'sequence'])
		.execute();

	await db.schema
		.createTable('randomisation')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('participant_id', 'integer', (c) =>
			c.notNull().unique().references('participant.id')
		)
		.addColumn('study_id', 'integer', (c) => c.notNull().references('study.id'))
		.addColumn('site_id', 'integer', (c) => c.notNull().references('site.id'))
		.addColumn('stratum', 'text', (c) => c.notNull())
		.addColumn('kit', 'text', (c) => c.notNull())
		.addColumn('randomised_at', 'text', (c) => c.notNull())
		.addColumn('randomised_by', 'integer', (c) => c.references('user.id'))
		.addColumn('unblinded_at', 'text')
		.addColumn('unblinded_by', 'integer', (c) => c.references('user.id'))
		.addColumn('unblinded_by_name', 'text')
		.addColumn('unblind_reason', 'text')
		.execute();

	await recordColumns(
		db.schema
			.createTable('concomitant_medication')
			.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
			.addColumn('participant_id', 'integer', (c) => c.notNull().references('participant.id'))
			.addColumn('site_id', 'integer', (c) => c.notNull().references('site.id'))
			.addColumn('name', 'text', (c) => c.notNull())
			.addColumn('ingredient', 'text')
			.addColumn('atc_code', 'text')
			.addColumn('atc_class', 'text')
			.addColumn('dose', 'real')
			.addColumn('dose_unit', 'text')
			.addColumn('frequency', 'text')
			.addColumn('route', 'text')
			.addColumn('indication', 'text')
			.addColumn('start_date', 'text', (c) => c.notNull())
			.addColumn('stop_date', 'text')
	).execute();
	await db.schema
		.createIndex('concomitant_medication_participant_idx')
		.on('concomitant_medication')
		.column('participant_id')
		.execute();

	await recordColumns(
		db.schema
			.createTable('blinding_guess')
			.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
			.addColumn('participant_id', 'integer', (c) => c.notNull().references('participant.id'))
			.addColumn('site_id', 'integer', (c) => c.notNull().references('site.id'))
			.addColumn('respondent', 'text', (c) => c.notNull())
			.addColumn('timepoint', 'text', (c) => c.notNull())
			.addColumn('dosing_session_id', 'integer', (c) => c.references('dosing_session.id'))
			.addColumn('guess', 'text', (c) => c.notNull())
			.addColumn('confidence', 'text', (c) => c.notNull())
			.addColumn('recorded_at', 'text', (c) => c.notNull())
	).execute();

	await db.schema
		.createTable('epro_link')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('participant_id', 'integer', (c) => c.notNull().references('participant.id'))
		.addColumn('site_id', 'integer', (c) => c.notNull().references('site.id'))
		.addColumn('instrument', 'text', (c) => c.notNull())
		.addColumn('token_hash', 'text', (c) => c.notNull().unique())
		.addColumn('mode', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('created_by', 'integer', (c) => c.references('user.id'))
		.addColumn('expires_at', 'text', (c) => c.notNull())
		.addColumn('used_at', 'text')
		.addColumn('scale_administration_id', 'integer', (c) => c.references('scale_administration.id'))
		.execute();

	await db.schema
		.alterTable('scale_administration')
		.addColumn('origin', 'text', (c) => c.notNull().defaultTo('staff'))
		.execute();
	await db.schema.alterTable('scale_administration').addColumn('device_time', 'text').execute();
	await db.schema.alterTable('scale_administration').addColumn('device_zone', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
	for (const c of ['device_zone', 'device_time', 'origin']) {
		await db.schema.alterTable('scale_administration').dropColumn(c).execute();
	}
	for (const t of [
		'epro_link',
		'blinding_guess',
		'concomitant_medication',
		'randomisation',
		'allocation_slot',
		'randomisation_seed',
		'consent_record',
		'consent_form_version'
	]) {
		await db.schema.dropTable(t).execute();
	}
}

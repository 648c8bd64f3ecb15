// Frozen once landed: never edit; add a new migration instead.
// Dashboards read summaries, not history (issue 10): per participant-visit scale totals, per
// session peak vitals and vital-sign breaches, and per dosed participant AE counts by coded term,
// kept current by each write's transaction (services/dashboards/summaries.ts). Created here and
// backfilled from history with a frozen copy of repositories/summaries.ts's queries (for everyone).
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations use no app types
type AnyDb = Kysely<any>;

const SCOPE = ['participant_id', 'study_id', 'site_id', 'dose_group'] as const;

async function createTables(db: AnyDb): Promise<void> {
	const scoped = (name: string) =>
		db.schema
			.createTable(name)
			.addColumn('participant_id', 'integer', (c) => c.notNull())
			.addColumn('study_id', 'integer', (c) => c.notNull())
			.addColumn('site_id', 'integer', (c) => c.notNull())
			.addColumn('dose_group', 'text', (c) => c.notNull());
	await scoped('scale_visit_total')
		.addColumn('subject_code', 'text', (c) => c.notNull())
		.addColumn('instrument', 'text', (c) => c.notNull())
		.addColumn('visit_code', 'text', (c) => c.notNull())
		.addColumn('total', 'integer', (c) => c.notNull())
		.addColumn('administered_at', 'text', (c) => c.notNull())
		.addColumn('baseline', 'integer')
		.addColumn('change', 'integer')
		.addColumn('pct', 'real')
		.addPrimaryKeyConstraint('scale_visit_total_pk', ['participant_id', 'instrument', 'visit_code'])
		.execute();
	// The cohort page: one instrument's rows of a study by visit; scatter plots by subject code.
	await db.schema
		.createIndex('scale_visit_total_study_idx')
		.on('scale_visit_total')
		.columns(['study_id', 'instrument', 'visit_code', 'subject_code'])
		.execute();
	await scoped('session_peak')
		.addColumn('dosing_session_id', 'integer', (c) => c.notNull().primaryKey())
		.addColumn('systolic', 'integer')
		.addColumn('diastolic', 'integer')
		.addColumn('heart_rate', 'integer')
		.addColumn('temperature_c', 'real')
		.execute();
	await scoped('session_breach')
		.addColumn('dosing_session_id', 'integer', (c) => c.notNull())
		.addColumn('rule_id', 'text', (c) => c.notNull())
		.addColumn('breaches', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('session_breach_pk', ['dosing_session_id', 'rule_id'])
		.execute();
	await scoped('ae_participant_term')
		.addColumn('coded_term_code', 'text')
		.addColumn('worst', 'integer')
		.addColumn('events', 'integer', (c) => c.notNull())
		.addColumn('serious', 'integer', (c) => c.notNull())
		.execute();
	for (const table of ['session_peak', 'session_breach', 'ae_participant_term']) {
		await db.schema
			.createIndex(`${table}_study_idx`)
			.on(table)
			.columns(['study_id', 'site_id'])
			.execute();
	}
	for (const table of ['session_peak', 'session_breach', 'ae_participant_term']) {
		await db.schema
			.createIndex(`${table}_participant_idx`)
			.on(table)
			.column('participant_id')
			.execute();
	}
}

const latestFirst = (partition: RawBuilder<unknown>) =>
	sql<number>`row_number() over (partition by ${partition} order by s.administered_at desc, s.id desc)`;

async function backfillScaleTotals(db: AnyDb): Promise<void> {
	const counted = sql<SqlBool>`(s.complete = 1 and s.total is not null and s.entered_in_error_at is null)`;
	const afterDose = sql`f.t0 is not null and r.administered_at >= f.t0`;
	await db
		.with('first_dose', (qb) =>
			qb
				.selectFrom('dosing_session')
				.select(['participant_id', (eb) => eb.fn.min('t0').as('t0')])
				.where('entered_in_error_at', 'is', null)
				.groupBy('participant_id')
		)
		.with('at_visit', (qb) =>
			qb
				.selectFrom('scale_administration as s')
				.innerJoin('visit as v', 'v.id', 's.visit_id')
				.select([
					's.participant_id',
					's.instrument',
					'v.visit_code',
					's.total',
					's.administered_at'
				])
				.select(latestFirst(sql`s.participant_id, s.instrument, v.visit_code`).as('rn'))
				.where(counted)
				.where('v.entered_in_error_at', 'is', null)
		)
		.with('before_dose', (qb) =>
			qb
				.selectFrom('scale_administration as s')
				.innerJoin('first_dose as f', 'f.participant_id', 's.participant_id')
				.select(['s.participant_id', 's.instrument', 's.total'])
				.select(latestFirst(sql`s.participant_id, s.instrument`).as('rn'))
				.where(counted)
				.whereRef('s.administered_at', '<', 'f.t0')
		)
		.insertInto('scale_visit_total')
		.columns([
			...SCOPE,
			'subject_code',
			'instrument',
			'visit_code',
			'total',
			'administered_at',
			'baseline',
			'change',
			'pct'
		])
		.expression((eb) =>
			eb
				.selectFrom('participant as p')
				.innerJoin('at_visit as r', (j) =>
					j.onRef('r.participant_id', '=', 'p.id').on('r.rn', '=', 1)
				)
				.leftJoin('first_dose as f', 'f.participant_id', 'p.id')
				.leftJoin('before_dose as b', (j) =>
					j
						.onRef('b.participant_id', '=', 'p.id')
						.onRef('b.instrument', '=', 'r.instrument')
						.on('b.rn', '=', 1)
				)
				.select(['p.id', 'p.study_id', 'p.site_id', 'p.dose_group', 'p.subject_code'])
				.select(['r.instrument', 'r.visit_code', 'r.total', 'r.administered_at'])
				.select('b.total as baseline')
				.select(sql`case when ${afterDose} then r.total - b.total end`.as('change'))
				.select(
					sql`case when ${afterDose} and b.total > 0
					then (r.total - b.total) * 100.0 / b.total end`.as('pct')
				)
				.where('p.entered_in_error_at', 'is', null)
		)
		.execute();
}

async function backfillSessions(db: AnyDb): Promise<void> {
	await db
		.insertInto('session_peak')
		.columns([
			...SCOPE,
			'dosing_session_id',
			'systolic',
			'diastolic',
			'heart_rate',
			'temperature_c'
		])
		.expression((eb) =>
			eb
				.selectFrom('dosing_session as ds')
				.innerJoin('participant as p', 'p.id', 'ds.participant_id')
				.leftJoin('vital_reading as vr', (j) =>
					j.onRef('vr.dosing_session_id', '=', 'ds.id').on('vr.entered_in_error_at', 'is', null)
				)
				.select(['p.id', 'p.study_id', 'p.site_id', 'p.dose_group', 'ds.id as session_id'])
				.select((e) => [
					e.fn.max('vr.systolic').as('systolic'),
					e.fn.max('vr.diastolic').as('diastolic'),
					e.fn.max('vr.heart_rate').as('heart_rate'),
					e.fn.max('vr.temperature_c').as('temperature_c')
				])
				.where('ds.entered_in_error_at', 'is', null)
				.where('p.entered_in_error_at', 'is', null)
				.groupBy(['p.id', 'p.study_id', 'p.site_id', 'p.dose_group', 'ds.id'])
		)
		.execute();
	await db
		.insertInto('session_breach')
		.columns([...SCOPE, 'dosing_session_id', 'rule_id', 'breaches'])
		.expression((eb) =>
			eb
				.selectFrom('flag as f')
				.innerJoin('dosing_session as ds', 'ds.id', 'f.dosing_session_id')
				.innerJoin('participant as p', 'p.id', 'ds.participant_id')
				.select(['p.id', 'p.study_id', 'p.site_id', 'p.dose_group', 'ds.id as session_id'])
				.select(['f.rule_id', (e) => e.fn.countAll().as('breaches')])
				.where('f.rule_id', 'like', 'vitals%')
				.where('f.auto_closed', '=', 0)
				.where('ds.entered_in_error_at', 'is', null)
				.where('p.entered_in_error_at', 'is', null)
				.groupBy(['p.id', 'p.study_id', 'p.site_id', 'p.dose_group', 'ds.id', 'f.rule_id'])
		)
		.execute();
}

const GRADE = sql`case
	when ae.severity like 'grade:%' then cast(substr(ae.severity, 7) as integer)
	when ae.severity = 'intensity:mild' then 1
	when ae.severity = 'intensity:moderate' then 2
	when ae.severity = 'intensity:severe' then 3 end`;

async function backfillAeTerms(db: AnyDb): Promise<void> {
	await db
		.insertInto('ae_participant_term')
		.columns([...SCOPE, 'coded_term_code', 'worst', 'events', 'serious'])
		.expression((eb) =>
			eb
				.selectFrom('adverse_event as ae')
				.innerJoin('participant as p', 'p.id', 'ae.participant_id')
				.select(['p.id', 'p.study_id', 'p.site_id', 'p.dose_group', 'ae.coded_term_code'])
				.select(sql`max(${GRADE})`.as('worst'))
				.select(sql`count(*)`.as('events'))
				.select(sql`sum(ae.serious)`.as('serious'))
				.where('ae.entered_in_error_at', 'is', null)
				.where('p.entered_in_error_at', 'is', null)
				.where((e) =>
					e.exists(
						e
							.selectFrom('dosing_session as d')
							.select('d.id')
							.whereRef('d.participant_id', '=', 'p.id')
							.where('d.entered_in_error_at', 'is', null)
					)
				)
				.groupBy(['p.id', 'p.study_id', 'p.site_id', 'p.dose_group', 'ae.coded_term_code'])
		)
		.execute();
}

export async function up(db: AnyDb): Promise<void> {
	await createTables(db);
	await backfillScaleTotals(db);
	await backfillSessions(db);
	await backfillAeTerms(db);
}

export async function down(db: AnyDb): Promise<void> {
	for (const table of [
		'ae_participant_term',
		'session_breach',
		'session_peak',
		'scale_visit_total'
	]) {
		await db.schema.dropTable(table).execute();
	}
}

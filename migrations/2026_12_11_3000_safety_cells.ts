// Frozen once landed: never edit; add a new migration instead.
// The safety-signals page's second level over the per-session summaries (issue 10), at the grain
// the page shows: per study × site × dose group, the dosed participants and their sessions and,
// per measure, the sessions whose peak falls in each histogram bin (session_peak_cell); per vitals
// rule, the breaches and the sessions with one (session_breach_cell) — a few thousand rows a page
// reads instead of one or two per dosing session. Kept by each write that moves a session's peaks
// or breaches (services/dashboards/safety-cells.ts); backfilled here from session_peak and
// session_breach with a frozen copy of repositories/safety-cells.ts's queries and of its bins
// (10 mmHg, 10 bpm, 0.2 °C). Nothing in them depends on the protocol: an activation leaves them.
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations use no app types
type AnyDb = Kysely<any>;

const BINS = {
	systolic: { column: 'systolic', scale: 1, width: 10 },
	diastolic: { column: 'diastolic', scale: 1, width: 10 },
	heartRate: { column: 'heart_rate', scale: 1, width: 10 },
	temperature: { column: 'temperature_c', scale: 10, width: 2 }
} as const;

async function createTables(db: AnyDb): Promise<void> {
	await db.schema
		.createTable('session_peak_cell')
		.addColumn('study_id', 'integer', (c) => c.notNull())
		.addColumn('site_id', 'integer', (c) => c.notNull())
		.addColumn('dose_group', 'text', (c) => c.notNull())
		.addColumn('measure', 'text', (c) => c.notNull())
		.addColumn('bin', 'integer', (c) => c.notNull())
		.addColumn('sessions', 'integer', (c) => c.notNull())
		.addColumn('participants', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('session_peak_cell_pk', [
			'study_id',
			'measure',
			'site_id',
			'dose_group',
			'bin'
		])
		.execute();
	await db.schema
		.createTable('session_breach_cell')
		.addColumn('study_id', 'integer', (c) => c.notNull())
		.addColumn('site_id', 'integer', (c) => c.notNull())
		.addColumn('dose_group', 'text', (c) => c.notNull())
		.addColumn('rule_id', 'text', (c) => c.notNull())
		.addColumn('breaches', 'integer', (c) => c.notNull())
		.addColumn('sessions', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('session_breach_cell_pk', [
			'study_id',
			'rule_id',
			'site_id',
			'dose_group'
		])
		.execute();
}

async function backfill(db: AnyDb): Promise<void> {
	const scope = ['x.study_id', 'x.site_id', 'x.dose_group'] as const;
	let peaks = db
		.selectFrom('session_peak as x')
		.select(scope)
		.select(sql`${sql.lit('')}`.as('measure'))
		.select(sql`0`.as('bin'))
		.select(sql`count(*)`.as('sessions'))
		.select(sql`count(distinct x.participant_id)`.as('participants'))
		.groupBy([...scope]);
	for (const [measure, { column, scale, width }] of Object.entries(BINS)) {
		const w = sql.lit(width);
		const bin = sql`(cast(round(${sql.ref(`x.${column}`)} * ${sql.lit(scale)}) as integer) / ${w}) * ${w}`;
		peaks = peaks.unionAll(
			db
				.selectFrom('session_peak as x')
				.select(scope)
				.select(sql`${sql.lit(measure)}`.as('measure'))
				.select(bin.as('bin'))
				.select(sql`count(*)`.as('sessions'))
				.select(sql`0`.as('participants'))
				.where(sql.ref(`x.${column}`), 'is not', null)
				.groupBy([...scope, bin])
		);
	}
	await db
		.insertInto('session_peak_cell')
		.columns(['study_id', 'site_id', 'dose_group', 'measure', 'bin', 'sessions', 'participants'])
		.expression(peaks)
		.execute();
	await db
		.insertInto('session_breach_cell')
		.columns(['study_id', 'site_id', 'dose_group', 'rule_id', 'breaches', 'sessions'])
		.expression(
			db
				.selectFrom('session_breach as x')
				.select(['x.study_id', 'x.site_id', 'x.dose_group', 'x.rule_id'])
				.select(sql`sum(x.breaches)`.as('breaches'))
				.select(sql`count(*)`.as('sessions'))
				.groupBy(['x.study_id', 'x.site_id', 'x.dose_group', 'x.rule_id'])
		)
		.execute();
}

export async function up(db: AnyDb): Promise<void> {
	await createTables(db);
	await backfill(db);
}

export async function down(db: AnyDb): Promise<void> {
	await db.schema.dropTable('session_breach_cell').execute();
	await db.schema.dropTable('session_peak_cell').execute();
}

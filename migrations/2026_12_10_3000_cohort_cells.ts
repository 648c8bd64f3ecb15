// Frozen once landed: never edit; add a new migration instead.
// The cohort page's second-level summary (issue 10): per study × site × dose group × visit, the
// moments (n, Σx, Σx²) of the active protocol's primary scale's totals, changes and percent changes
// from baseline, and its responders and remitters by that protocol's definitions — a few thousand
// rows a page reads instead of every participant-visit. A row with visit_code '' counts the
// participants with a total at any visit (total_n; its other columns are 0). Kept by each scale or
// participant write and rebuilt when a protocol version is activated (services/dashboards/
// cohort-cells.ts); backfilled here from scale_visit_total with a frozen copy of that query and of
// the protocol fields it reads (scales.primary, .responsePercentBelowBaseline, .remission).
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations use no app types
type AnyDb = Kysely<any>;

const MOMENTS = ['total', 'change', 'pct'] as const;
const OPS = new Set(['<', '<=', '>', '>=']);

async function createTable(db: AnyDb): Promise<void> {
	let t = db.schema
		.createTable('cohort_cell')
		.addColumn('study_id', 'integer', (c) => c.notNull())
		.addColumn('site_id', 'integer', (c) => c.notNull())
		.addColumn('dose_group', 'text', (c) => c.notNull())
		.addColumn('instrument', 'text', (c) => c.notNull())
		.addColumn('visit_code', 'text', (c) => c.notNull());
	for (const m of MOMENTS) {
		t = t
			.addColumn(`${m}_n`, 'integer', (c) => c.notNull())
			.addColumn(`${m}_sum`, m === 'pct' ? 'real' : 'integer', (c) => c.notNull())
			.addColumn(`${m}_sum_sq`, m === 'pct' ? 'real' : 'integer', (c) => c.notNull());
	}
	await t
		.addColumn('responders', 'integer', (c) => c.notNull())
		.addColumn('remitters', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('cohort_cell_pk', [
			'study_id',
			'instrument',
			'visit_code',
			'site_id',
			'dose_group'
		])
		.execute();
}

async function backfill(db: AnyDb): Promise<void> {
	const studies = await db
		.selectFrom('protocol_version')
		.select(['study_id', 'definition'])
		.where('is_active', '=', 1)
		.execute();
	for (const s of studies) {
		const scales = (JSON.parse(s.definition as string) as { scales?: Record<string, unknown> })
			.scales;
		const instrument = scales?.primary as string | undefined;
		const responsePercent = scales?.responsePercentBelowBaseline as number | undefined;
		const remission = (scales?.remission as Record<string, { op: string; value: number }>)?.[
			instrument ?? ''
		];
		if (!instrument || responsePercent === undefined || !remission || !OPS.has(remission.op)) {
			continue;
		}
		const moments = MOMENTS.flatMap((m) => {
			const x = sql.ref(`x.${m}`);
			return [
				sql`count(${x})`.as(`${m}_n`),
				sql`coalesce(sum(${x}), 0)`.as(`${m}_sum`),
				sql`coalesce(sum(${x} * ${x}), 0)`.as(`${m}_sum_sq`)
			];
		});
		const remitted = sql`x.total ${sql.raw(remission.op)} ${remission.value}`;
		const responded = sql`x.pct is not null and x.total * 100 <= x.baseline * (100 - ${responsePercent})`;
		await db
			.insertInto('cohort_cell')
			.columns([
				'study_id',
				'site_id',
				'dose_group',
				'instrument',
				'visit_code',
				...MOMENTS.flatMap((m) => [`${m}_n`, `${m}_sum`, `${m}_sum_sq`]),
				'responders',
				'remitters'
			])
			.expression(
				db
					.selectFrom('scale_visit_total as x')
					.select(['x.study_id', 'x.site_id', 'x.dose_group', 'x.instrument', 'x.visit_code'])
					.select(moments)
					.select(sql`count(case when ${responded} then 1 end)`.as('responders'))
					.select(sql`count(case when ${remitted} then 1 end)`.as('remitters'))
					.where('x.study_id', '=', s.study_id)
					.where('x.instrument', '=', instrument)
					.groupBy(['x.study_id', 'x.site_id', 'x.dose_group', 'x.instrument', 'x.visit_code'])
			)
			.execute();
		await db
			.insertInto('cohort_cell')
			.columns([
				'study_id',
				'site_id',
				'dose_group',
				'instrument',
				'visit_code',
				...MOMENTS.flatMap((m) => [`${m}_n`, `${m}_sum`, `${m}_sum_sq`]),
				'responders',
				'remitters'
			])
			.expression(
				db
					.selectFrom('scale_visit_total as x')
					.select(['x.study_id', 'x.site_id', 'x.dose_group', 'x.instrument'])
					.select(sql`''`.as('visit_code'))
					.select(sql`count(distinct x.participant_id)`.as('total_n'))
					.select([
						...['total_sum', 'total_sum_sq'].map((c) => sql`0`.as(c)),
						...['change', 'pct'].flatMap((m) =>
							['n', 'sum', 'sum_sq'].map((k) => sql`0`.as(`${m}_${k}`))
						),
						sql`0`.as('responders'),
						sql`0`.as('remitters')
					])
					.where('x.study_id', '=', s.study_id)
					.where('x.instrument', '=', instrument)
					.groupBy(['x.study_id', 'x.site_id', 'x.dose_group', 'x.instrument'])
			)
			.execute();
	}
}

export async function up(db: AnyDb): Promise<void> {
	await createTable(db);
	await backfill(db);
}

export async function down(db: AnyDb): Promise<void> {
	await db.schema.dropTable('cohort_cell').execute();
}

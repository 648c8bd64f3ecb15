// The cohort's second-level summary (cohort_cell): per study × site × dose group × visit of the
// active protocol's primary scale, the moments of totals, changes and percent changes and the
// responders and remitters by its definitions, recomputed from scale_visit_total for the cells a
// write touched (a few hundred rows each) or for a whole study (a protocol activation, a bulk
// load). Row '' of a site × dose group counts its participants with a total at any visit.
// Migration 2026_12_10_3000 backfills with a frozen copy of these queries.
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Executor } from '../db';
import type { CohortRule } from './cohort';
import { addToCells } from './counted-cells';

/** The visit code of the row that counts participants (in total_n). */
export const ANY_VISIT = '';

export interface CellKey {
	site_id: number;
	dose_group: string;
	visit_code: string;
}

const MOMENTS = ['total', 'change', 'pct'] as const;
const COLUMNS = [
	'study_id',
	'site_id',
	'dose_group',
	'instrument',
	'visit_code',
	...MOMENTS.flatMap((m) => [`${m}_n`, `${m}_sum`, `${m}_sum_sq`] as const),
	'responders',
	'remitters'
] as const;

const OPS = new Set(['<', '<=', '>', '>=']);

/** The rows of one study's instrument (x = scale_visit_total) aggregated per cell. */
function cellsOf(
	db: Executor,
	studyId: number,
	rule: CohortRule,
	where?: (x: { ref: (c: string) => Expression<unknown> }) => Expression<SqlBool>
) {
	if (!OPS.has(rule.remission.op)) throw new Error(`Unknown comparison ${rule.remission.op}`);
	const remitted = sql`x.total ${sql.raw(rule.remission.op)} ${rule.remission.value}`;
	// Response: total × 100 ≤ baseline × (100 − X), exact at the boundary (as meetsResponse).
	const responded = sql`x.pct is not null and x.total * 100 <= x.baseline * (100 - ${rule.responsePercent})`;
	let q = db
		.selectFrom('scale_visit_total as x')
		.select(['x.study_id', 'x.site_id', 'x.dose_group', 'x.instrument', 'x.visit_code'])
		.select(
			MOMENTS.flatMap((m) => {
				const x = sql.ref(`x.${m}`);
				return [
					sql<number>`count(${x})`.as(`${m}_n`),
					sql<number>`coalesce(sum(${x}), 0)`.as(`${m}_sum`),
					sql<number>`coalesce(sum(${x} * ${x}), 0)`.as(`${m}_sum_sq`)
				];
			})
		)
		.select(sql<number>`count(case when ${responded} then 1 end)`.as('responders'))
		.select(sql<number>`count(case when ${remitted} then 1 end)`.as('remitters'))
		.where('x.study_id', '=', studyId)
		.where('x.instrument', '=', rule.instrument);
	if (where) q = q.where(where({ ref: (c) => sql.ref(`x.${c}`) }));
	return q.groupBy(['x.study_id', 'x.site_id', 'x.dose_group', 'x.instrument', 'x.visit_code']);
}

/** A participant's rows of the instrument, with their cells, for before and after a write. */
export function participantCellRows(db: Executor, participantId: number, instrument: string) {
	return db
		.selectFrom('scale_visit_total')
		.select(['study_id', 'site_id', 'dose_group', 'visit_code', 'total', 'baseline', 'pct'])
		.where('participant_id', '=', participantId)
		.where('instrument', '=', instrument)
		.execute();
}

/** These visit cells of a study recomputed (deleted, then inserted when rows remain). */
export async function refreshCells(
	db: Executor,
	studyId: number,
	rule: CohortRule,
	keys: readonly CellKey[]
) {
	for (const k of keys) {
		const match = (ref: (c: string) => Expression<unknown>) =>
			sql<SqlBool>`${ref('visit_code')} = ${k.visit_code} and ${ref('site_id')} = ${k.site_id}
				and ${ref('dose_group')} = ${k.dose_group}`;
		await db
			.deleteFrom('cohort_cell')
			.where('study_id', '=', studyId)
			.where('instrument', '=', rule.instrument)
			.where(match((c) => sql.ref(c)))
			.execute();
		await db
			.insertInto('cohort_cell')
			.columns([...COLUMNS])
			.expression(cellsOf(db, studyId, rule, (x) => match(x.ref)))
			.execute();
	}
}

/** Adds ±1 participants to the '' row of a site × dose group; a row left at 0 is removed. */
export function addParticipants(
	db: Executor,
	cell: { study_id: number; site_id: number; dose_group: string; instrument: string },
	delta: number
) {
	const zeros = Object.fromEntries(COLUMNS.slice(5).map((c) => [c, 0]));
	return addToCells(
		db,
		'cohort_cell',
		{
			key: ['study_id', 'instrument', 'visit_code', 'site_id', 'dose_group'],
			counters: ['total_n'],
			countedBy: 'total_n'
		},
		[{ ...zeros, ...cell, visit_code: ANY_VISIT, total_n: delta } as never]
	);
}

/** Every cell of a study replaced under this rule (an activation, a bulk load, a rebuild). */
export async function rebuildStudyCells(db: Executor, studyId: number, rule: CohortRule) {
	await db.deleteFrom('cohort_cell').where('study_id', '=', studyId).execute();
	await db
		.insertInto('cohort_cell')
		.columns([...COLUMNS])
		.expression(cellsOf(db, studyId, rule))
		.execute();
	await db
		.insertInto('cohort_cell')
		.columns([...COLUMNS])
		.expression(
			db
				.selectFrom('scale_visit_total as x')
				.select(['x.study_id', 'x.site_id', 'x.dose_group', 'x.instrument'])
				.select(sql<string>`${sql.lit(ANY_VISIT)}`.as('visit_code'))
				.select(sql<number>`count(distinct x.participant_id)`.as('total_n'))
				.select(COLUMNS.slice(6).map((c) => sql<number>`0`.as(c)))
				.where('x.study_id', '=', studyId)
				.where('x.instrument', '=', rule.instrument)
				.groupBy(['x.study_id', 'x.site_id', 'x.dose_group', 'x.instrument'])
		)
		.execute();
}

/** Every study's cells removed (a rebuild of everything starts here). */
export async function clearCells(db: Executor) {
	await db.deleteFrom('cohort_cell').execute();
}

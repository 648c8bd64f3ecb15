// Each dosed participant's stored time to relapse (relapse_outcome), kept by the write path under
// the active protocol (services/dashboards/relapse-outcomes.ts) and read by the cohort's curve.
import type { Insertable } from 'kysely';
import type { Executor } from '../db';
import type { RelapseOutcomeTable } from '../db/schema-summaries';
import { inSummaryScope, type DashboardScope } from './cohort';

/** The outcomes of the participants in scope (their weeks, null: never remitted). */
export function storedOutcomes(db: Executor, scope: DashboardScope) {
	return db
		.selectFrom('relapse_outcome as x')
		.select(['x.participant_id', 'x.weeks', 'x.event'])
		.where(inSummaryScope(scope))
		.execute();
}

/**
 * The outcomes in scope counted by weeks and ending (weeks null: never remitted): what the
 * curve needs when it is not split by arm, a row per distinct time instead of a row per
 * participant (the covering index relapse_outcome_study_idx answers it).
 */
export async function outcomeTallies(db: Executor, scope: DashboardScope) {
	const rows = await db
		.selectFrom('relapse_outcome as x')
		.select(['x.weeks', 'x.event', (eb) => eb.fn.countAll<number | string>().as('n')])
		.where(inSummaryScope(scope))
		.groupBy(['x.weeks', 'x.event'])
		.execute();
	return rows.map((r) => ({
		weeks: r.weeks === null ? null : Number(r.weeks),
		event: Number(r.event) === 1,
		count: Number(r.n)
	}));
}

export async function deleteOutcomes(
	db: Executor,
	target: { participantId: number } | { studyId: number } | 'all'
) {
	let q = db.deleteFrom('relapse_outcome');
	if (target !== 'all') {
		q =
			'participantId' in target
				? q.where('participant_id', '=', target.participantId)
				: q.where('study_id', '=', target.studyId);
	}
	await q.execute();
}

/** Rows inserted in chunks a statement's parameters allow. */
export async function insertOutcomes(
	db: Executor,
	rows: ReadonlyArray<Insertable<RelapseOutcomeTable>>
) {
	for (let i = 0; i < rows.length; i += 500) {
		await db
			.insertInto('relapse_outcome')
			.values(rows.slice(i, i + 500))
			.execute();
	}
}

/** Site and dose group of a study's participants in effect (copied into each outcome). */
export function participantScopes(db: Executor, studyId: number) {
	return db
		.selectFrom('participant')
		.select(['id', 'site_id', 'dose_group'])
		.where('study_id', '=', studyId)
		.where('entered_in_error_at', 'is', null)
		.execute();
}

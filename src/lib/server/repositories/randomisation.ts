// What blinded roles may know about randomisation: that it happened, when, the stratum and the kit
// number, and whether the participant was unblinded in an emergency. Never the arm (see
// allocation.ts).
import type { Insertable, Updateable } from 'kysely';
import type { Executor } from '../db';
import type { RandomisationRow, RandomisationTable } from '../db/schema';

export function findRandomisation(
	db: Executor,
	participantId: number
): Promise<RandomisationRow | undefined> {
	return db
		.selectFrom('randomisation')
		.selectAll()
		.where('participant_id', '=', participantId)
		.executeTakeFirst();
}

export function insertRandomisation(
	db: Executor,
	row: Insertable<RandomisationTable>
): Promise<RandomisationRow> {
	return db.insertInto('randomisation').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateRandomisation(
	db: Executor,
	participantId: number,
	changes: Updateable<RandomisationTable>
): Promise<void> {
	await db
		.updateTable('randomisation')
		.set(changes)
		.where('participant_id', '=', participantId)
		.execute();
}

export function listRandomisations(
	db: Executor,
	studyId: number,
	siteIds: number[] | 'all'
): Promise<RandomisationRow[]> {
	let q = db.selectFrom('randomisation').selectAll().where('study_id', '=', studyId);
	if (siteIds !== 'all') q = q.where('site_id', 'in', siteIds.length ? siteIds : [-1]);
	return q.orderBy('randomised_at').execute();
}

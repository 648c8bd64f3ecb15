// Blinding guesses: one row per respondent's guess; never holds an arm.
import type { Insertable, Updateable } from 'kysely';
import type { Executor } from '../db';
import type { BlindingGuessRow, BlindingGuessTable } from '../db/schema';

export function listGuessesOfParticipant(
	db: Executor,
	participantId: number
): Promise<BlindingGuessRow[]> {
	return db
		.selectFrom('blinding_guess')
		.selectAll()
		.where('participant_id', '=', participantId)
		.orderBy('recorded_at')
		.orderBy('id')
		.execute();
}

export function findGuess(db: Executor, id: number): Promise<BlindingGuessRow | undefined> {
	return db.selectFrom('blinding_guess').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The standing guess of this respondent at this timepoint (one each). */
export function findStandingGuess(
	db: Executor,
	participantId: number,
	respondent: string,
	timepoint: string
): Promise<BlindingGuessRow | undefined> {
	return db
		.selectFrom('blinding_guess')
		.selectAll()
		.where('participant_id', '=', participantId)
		.where('respondent', '=', respondent)
		.where('timepoint', '=', timepoint)
		.where('entered_in_error_at', 'is', null)
		.executeTakeFirst();
}

export function insertGuess(
	db: Executor,
	row: Insertable<BlindingGuessTable>
): Promise<BlindingGuessRow> {
	return db.insertInto('blinding_guess').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateGuess(
	db: Executor,
	id: number,
	changes: Updateable<BlindingGuessTable>
): Promise<void> {
	await db
		.updateTable('blinding_guess')
		.set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
		.where('id', '=', id)
		.execute();
}

/** The study's standing guesses at these sites, with each participant's randomisation dates. */
export function listGuessesOfStudy(db: Executor, studyId: number, siteIds: number[] | 'all') {
	let q = db
		.selectFrom('blinding_guess as g')
		.innerJoin('participant as p', 'p.id', 'g.participant_id')
		.leftJoin('randomisation as r', 'r.participant_id', 'g.participant_id')
		.select([
			'g.id',
			'g.participant_id',
			'g.respondent',
			'g.timepoint',
			'g.guess',
			'g.confidence',
			'g.recorded_at',
			'r.randomised_at',
			'r.unblinded_at'
		])
		.where('p.study_id', '=', studyId)
		.where('g.entered_in_error_at', 'is', null)
		.where('p.entered_in_error_at', 'is', null);
	if (siteIds !== 'all') q = q.where('g.site_id', 'in', siteIds.length ? siteIds : [-1]);
	return q.orderBy('g.id').execute();
}

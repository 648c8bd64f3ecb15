import type { Insertable, Updateable } from 'kysely';
import type { Executor } from '../db';
import type { ConcomitantMedicationRow, ConcomitantMedicationTable } from '../db/schema';

export function listConmedsOfParticipant(
	db: Executor,
	participantId: number,
	f: { includeEnteredInError?: boolean } = {}
): Promise<ConcomitantMedicationRow[]> {
	let q = db
		.selectFrom('concomitant_medication')
		.selectAll()
		.where('participant_id', '=', participantId);
	if (!f.includeEnteredInError) q = q.where('entered_in_error_at', 'is', null);
	return q.orderBy('start_date').orderBy('id').execute();
}

export function findConmed(
	db: Executor,
	id: number
): Promise<ConcomitantMedicationRow | undefined> {
	return db
		.selectFrom('concomitant_medication')
		.selectAll()
		.where('id', '=', id)
		.executeTakeFirst();
}

export function insertConmed(
	db: Executor,
	row: Insertable<ConcomitantMedicationTable>
): Promise<ConcomitantMedicationRow> {
	return db
		.insertInto('concomitant_medication')
		.values(row)
		.returningAll()
		.executeTakeFirstOrThrow();
}

export async function updateConmed(
	db: Executor,
	id: number,
	changes: Updateable<ConcomitantMedicationTable>
): Promise<void> {
	await db
		.updateTable('concomitant_medication')
		.set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
		.where('id', '=', id)
		.execute();
}

/**
 * Every medication of the study's participants at these sites, with subject and site codes: the
 * source of SDTM CM (issue 15 builds the dataset from this).
 */
export function listConmedsForExport(db: Executor, studyId: number, siteIds: number[] | 'all') {
	let q = db
		.selectFrom('concomitant_medication as m')
		.innerJoin('participant as p', 'p.id', 'm.participant_id')
		.innerJoin('site as s', 's.id', 'm.site_id')
		.selectAll('m')
		.select(['p.subject_code', 's.code as site_code'])
		.where('p.study_id', '=', studyId)
		.where('m.entered_in_error_at', 'is', null)
		.where('p.entered_in_error_at', 'is', null);
	if (siteIds !== 'all') q = q.where('m.site_id', 'in', siteIds.length ? siteIds : [-1]);
	return q.orderBy('p.subject_code').orderBy('m.start_date').orderBy('m.id').execute();
}

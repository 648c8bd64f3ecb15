import type { Insertable, Updateable } from 'kysely';
import type { Executor } from '../db';
import type {
	ConsentFormVersionRow,
	ConsentFormVersionTable,
	ConsentRecordRow,
	ConsentRecordTable
} from '../db/schema';

export function listFormVersions(db: Executor, studyId: number): Promise<ConsentFormVersionRow[]> {
	return db
		.selectFrom('consent_form_version')
		.selectAll()
		.where('study_id', '=', studyId)
		.orderBy('active_from')
		.orderBy('id')
		.execute();
}

export function findFormVersion(
	db: Executor,
	id: number
): Promise<ConsentFormVersionRow | undefined> {
	return db.selectFrom('consent_form_version').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findFormVersionByLabel(
	db: Executor,
	studyId: number,
	label: string
): Promise<ConsentFormVersionRow | undefined> {
	return db
		.selectFrom('consent_form_version')
		.selectAll()
		.where('study_id', '=', studyId)
		.where('label', '=', label)
		.executeTakeFirst();
}

export function insertFormVersion(
	db: Executor,
	row: Insertable<ConsentFormVersionTable>
): Promise<ConsentFormVersionRow> {
	return db.insertInto('consent_form_version').values(row).returningAll().executeTakeFirstOrThrow();
}

export function listRecordsOfParticipant(
	db: Executor,
	participantId: number
): Promise<ConsentRecordRow[]> {
	return db
		.selectFrom('consent_record')
		.selectAll()
		.where('participant_id', '=', participantId)
		.orderBy('signed_at')
		.orderBy('id')
		.execute();
}

/** Every live consent record of the study's participants at these sites ('all': every site). */
export function listRecordsOfStudy(
	db: Executor,
	studyId: number,
	siteIds: number[] | 'all'
): Promise<Array<ConsentRecordRow & { subject_code: string; status: string }>> {
	let q = db
		.selectFrom('consent_record as c')
		.innerJoin('participant as p', 'p.id', 'c.participant_id')
		.selectAll('c')
		.select(['p.subject_code', 'p.status'])
		.where('p.study_id', '=', studyId)
		.where('p.entered_in_error_at', 'is', null);
	if (siteIds !== 'all') q = q.where('c.site_id', 'in', siteIds.length ? siteIds : [-1]);
	return q.orderBy('p.subject_code').orderBy('c.signed_at').execute();
}

export function findRecord(db: Executor, id: number): Promise<ConsentRecordRow | undefined> {
	return db.selectFrom('consent_record').selectAll().where('id', '=', id).executeTakeFirst();
}

export function insertRecord(
	db: Executor,
	row: Insertable<ConsentRecordTable>
): Promise<ConsentRecordRow> {
	return db.insertInto('consent_record').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateRecord(
	db: Executor,
	id: number,
	changes: Updateable<ConsentRecordTable>
): Promise<void> {
	await db
		.updateTable('consent_record')
		.set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
		.where('id', '=', id)
		.execute();
}

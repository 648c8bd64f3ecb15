import { sql } from 'kysely';
import type { Executor } from '../db';
import type { Participant, ParticipantTable } from '../db/schema';
import type { Insertable, Updateable } from 'kysely';
import { compiledOnce } from '../db/prepared';

const participantById = compiledOnce((db, id: number) =>
	db.selectFrom('participant').selectAll().where('id', '=', id)
);

export async function findParticipant(db: Executor, id: number): Promise<Participant | undefined> {
	return (await participantById(db, id))[0];
}

export function findBySubjectCode(
	db: Executor,
	studyId: number,
	code: string
): Promise<Participant | undefined> {
	return db
		.selectFrom('participant')
		.selectAll()
		.where('study_id', '=', studyId)
		.where('subject_code', '=', code)
		.executeTakeFirst();
}

export function listParticipants(
	db: Executor,
	f: { siteIds: number[] | 'all'; siteId?: number; includeEnteredInError?: boolean }
): Promise<Participant[]> {
	let q = db.selectFrom('participant').selectAll().orderBy('subject_code');
	if (f.siteIds !== 'all') {
		if (f.siteIds.length === 0) return Promise.resolve([]);
		q = q.where('site_id', 'in', f.siteIds);
	}
	if (f.siteId !== undefined) q = q.where('site_id', '=', f.siteId);
	if (!f.includeEnteredInError) q = q.where('entered_in_error_at', 'is', null);
	return q.execute();
}

/** A page of participants by subject code, after the previous page's last (code, id). */
export function listParticipantsPage(
	db: Executor,
	f: { siteIds: number[] | 'all'; siteId?: number; limit: number },
	after: [subjectCode: string, id: number] | null
): Promise<Participant[]> {
	if (f.siteIds !== 'all' && f.siteIds.length === 0) return Promise.resolve([]);
	let q = db.selectFrom('participant').selectAll().where('entered_in_error_at', 'is', null);
	if (f.siteIds !== 'all') q = q.where('site_id', 'in', f.siteIds);
	if (f.siteId !== undefined) q = q.where('site_id', '=', f.siteId);
	if (after) q = q.where(sql<boolean>`(subject_code, id) > (${after[0]}, ${after[1]})`);
	return q.orderBy('subject_code').orderBy('id').limit(f.limit).execute();
}

export function insertParticipant(
	db: Executor,
	p: Insertable<ParticipantTable>
): Promise<Participant> {
	return db.insertInto('participant').values(p).returningAll().executeTakeFirstOrThrow();
}

export async function updateParticipant(
	db: Executor,
	id: number,
	changes: Updateable<ParticipantTable>
): Promise<void> {
	await db
		.updateTable('participant')
		.set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
		.where('id', '=', id)
		.execute();
}

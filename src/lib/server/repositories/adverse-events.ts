import type { Insertable, Updateable } from 'kysely';
import type { Executor } from '../db';
import type { AdverseEvent, AdverseEventTable, DosingSession } from '../db/schema';

/** An adverse event with what a reader needs beside it: the subject, the site and its zone. */
export type AdverseEventRow = AdverseEvent & {
	subject_code: string;
	study_id: number;
	site_code: string;
	site_timezone: string;
};

function withContext(db: Executor) {
	return db
		.selectFrom('adverse_event')
		.innerJoin('participant', 'participant.id', 'adverse_event.participant_id')
		.innerJoin('site', 'site.id', 'adverse_event.site_id')
		.selectAll('adverse_event')
		.select([
			'participant.subject_code',
			'participant.study_id',
			'site.code as site_code',
			'site.timezone as site_timezone'
		]);
}

export function findAdverseEvent(db: Executor, id: number): Promise<AdverseEventRow | undefined> {
	return withContext(db).where('adverse_event.id', '=', id).executeTakeFirst();
}

export function listAdverseEventsOfParticipant(
	db: Executor,
	participantId: number,
	f: { includeEnteredInError?: boolean } = {}
): Promise<AdverseEventRow[]> {
	let q = withContext(db)
		.where('adverse_event.participant_id', '=', participantId)
		.orderBy('adverse_event.onset_at')
		.orderBy('adverse_event.id');
	if (!f.includeEnteredInError) q = q.where('adverse_event.entered_in_error_at', 'is', null);
	return q.execute();
}

/** Serious events not entered in error, at these sites, earliest awareness first. */
export function listSeriousAdverseEvents(
	db: Executor,
	f: { siteIds: number[] | 'all'; sponsorNotYetTold?: boolean }
): Promise<AdverseEventRow[]> {
	let q = withContext(db)
		.where('adverse_event.serious', '=', 1)
		.where('adverse_event.entered_in_error_at', 'is', null)
		.where('participant.entered_in_error_at', 'is', null)
		.orderBy('adverse_event.aware_at');
	if (f.siteIds !== 'all') {
		if (f.siteIds.length === 0) return Promise.resolve([]);
		q = q.where('adverse_event.site_id', 'in', f.siteIds);
	}
	// The SAE report not sent yet: its clock still runs.
	if (f.sponsorNotYetTold) q = q.where('adverse_event.sae_reported_at', 'is', null);
	return q.execute();
}

export function insertAdverseEvent(
	db: Executor,
	ae: Insertable<AdverseEventTable>
): Promise<AdverseEvent> {
	return db.insertInto('adverse_event').values(ae).returningAll().executeTakeFirstOrThrow();
}

export async function updateAdverseEvent(
	db: Executor,
	id: number,
	changes: Updateable<AdverseEventTable>
): Promise<void> {
	await db
		.updateTable('adverse_event')
		.set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
		.where('id', '=', id)
		.execute();
}

export function findDosingSession(db: Executor, id: number): Promise<DosingSession | undefined> {
	return db.selectFrom('dosing_session').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A participant's dosing sessions (not entered in error), for linking an adverse event. */
export function listDosingSessionsOfParticipant(
	db: Executor,
	participantId: number
): Promise<DosingSession[]> {
	return db
		.selectFrom('dosing_session')
		.selectAll()
		.where('participant_id', '=', participantId)
		.where('entered_in_error_at', 'is', null)
		.orderBy('session_number')
		.execute();
}

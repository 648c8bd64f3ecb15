// Queries behind protocol versions: the versions of a study, and the study's recent clinical data
// that a dry run evaluates. Only records in effect (not entered in error, nor their participant).
import type { Executor } from '../db';
import type {
	AdverseEvent,
	DosingSession,
	ProtocolVersion,
	ScaleAdministration,
	VitalReading
} from '../db/schema';

export function listProtocolVersionsOfStudy(
	db: Executor,
	studyId: number
): Promise<ProtocolVersion[]> {
	return db
		.selectFrom('protocol_version')
		.selectAll()
		.where('study_id', '=', studyId)
		.orderBy('loaded_at')
		.orderBy('id')
		.execute();
}

export function findProtocolVersionById(
	db: Executor,
	id: number
): Promise<ProtocolVersion | undefined> {
	return db.selectFrom('protocol_version').selectAll().where('id', '=', id).executeTakeFirst();
}

function sessionsOfStudy(db: Executor, studyId: number) {
	return db
		.selectFrom('dosing_session as s')
		.innerJoin('participant as p', 'p.id', 's.participant_id')
		.where('p.study_id', '=', studyId)
		.where('p.entered_in_error_at', 'is', null)
		.where('s.entered_in_error_at', 'is', null);
}

/** Dosing sessions whose T0 falls in [since, until]. */
export function listSessionsInWindow(
	db: Executor,
	studyId: number,
	since: string,
	until: string
): Promise<DosingSession[]> {
	return sessionsOfStudy(db, studyId)
		.selectAll('s')
		.where('s.t0', '>=', since)
		.where('s.t0', '<=', until)
		.orderBy('s.t0')
		.orderBy('s.id')
		.execute();
}

/** The readings in effect of those sessions. */
export function listReadingsInWindow(
	db: Executor,
	studyId: number,
	since: string,
	until: string
): Promise<VitalReading[]> {
	return sessionsOfStudy(db, studyId)
		.innerJoin('vital_reading as r', 'r.dosing_session_id', 's.id')
		.selectAll('r')
		.where('s.t0', '>=', since)
		.where('s.t0', '<=', until)
		.where('r.entered_in_error_at', 'is', null)
		.orderBy('r.measured_at')
		.orderBy('r.id')
		.execute();
}

/** Each participant's first dosing T0 (the baseline boundary of the scales). */
export function firstDoseTimes(
	db: Executor,
	studyId: number
): Promise<Array<{ participant_id: number; t0: string }>> {
	return sessionsOfStudy(db, studyId)
		.select(['s.participant_id', (eb) => eb.fn.min<string>('s.t0').as('t0')])
		.groupBy('s.participant_id')
		.execute();
}

/**
 * Administrations given up to `until`, all of them: a baseline may lie before the window even
 * when the visits that are compared with it fall inside.
 */
export function listAdministrationsUntil(
	db: Executor,
	studyId: number,
	until: string
): Promise<ScaleAdministration[]> {
	return db
		.selectFrom('scale_administration as a')
		.innerJoin('participant as p', 'p.id', 'a.participant_id')
		.selectAll('a')
		.where('p.study_id', '=', studyId)
		.where('p.entered_in_error_at', 'is', null)
		.where('a.entered_in_error_at', 'is', null)
		.where('a.administered_at', '<=', until)
		.orderBy('a.administered_at')
		.orderBy('a.id')
		.execute();
}

/** Adverse events the site became aware of in [since, until]. */
export function listAdverseEventsInWindow(
	db: Executor,
	studyId: number,
	since: string,
	until: string
): Promise<AdverseEvent[]> {
	return db
		.selectFrom('adverse_event as e')
		.innerJoin('participant as p', 'p.id', 'e.participant_id')
		.selectAll('e')
		.where('p.study_id', '=', studyId)
		.where('p.entered_in_error_at', 'is', null)
		.where('e.entered_in_error_at', 'is', null)
		.where('e.aware_at', '>=', since)
		.where('e.aware_at', '<=', until)
		.orderBy('e.aware_at')
		.orderBy('e.id')
		.execute();
}

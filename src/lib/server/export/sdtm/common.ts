// What every SDTM domain shares: the identifier columns, ISO 8601 date-times, --SEQ, and each
// subject's reference start (the first dose) for study days and baseline flags.
import { sql } from 'kysely';
import { unplannedVisit } from '../../../domain/sdtm';

export interface SubjectKeys {
	study_code: string;
	subject_code: string;
}

/** USUBJID: study-subject, unique across the submission. */
export const usubjid = (r: SubjectKeys) => `${r.study_code}-${r.subject_code}`;

/** STUDYID, DOMAIN, USUBJID (SDTMIG §2.2.4); SUBJID and SITEID are in DM only. */
export function identifiers(domain: string, r: SubjectKeys) {
	return { STUDYID: r.study_code, DOMAIN: domain, USUBJID: usubjid(r) };
}

const STORED_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * SDTMIG §4.4.2 --DTC: ISO 8601 extended format. Stored instants are UTC; they are written to the
 * second with the Z designator (2026-11-20T09:00:00Z), so no reader has to guess the zone.
 * Dates stay dates (2026-09-01). Null when there is none.
 */
export function dtc(value: string | null | undefined): string | null {
	if (!value) return null;
	if (STORED_INSTANT.test(value)) return `${value.slice(0, 19)}Z`; // as toISOString() wrote it
	if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
	const ms = Date.parse(value);
	return Number.isNaN(ms) ? value : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** --SEQ: 1, 2, 3 … within each subject, in the order rows are written. */
export class SequenceBySubject {
	readonly #last = new Map<string, number>();
	next(usubjid: string): number {
		const n = (this.#last.get(usubjid) ?? 0) + 1;
		this.#last.set(usubjid, n);
		return n;
	}
}

/**
 * The number of the subject's last planned visit on or before a session's day (its date if done,
 * else its planned date): where a session recorded without a visit sits in the schedule.
 */
export const plannedVisitBefore = (session: string) =>
	sql<
		number | null
	>`(select max(pv.sequence) from visit pv where pv.participant_id = ${sql.ref(`${session}.participant_id`)} and pv.entered_in_error_at is null and coalesce(pv.actual_on, pv.planned_on) <= substr(${sql.ref(`${session}.t0`)}, 1, 10))`;

/** VISITNUM and VISIT of a session's records: its planned visit's, else its unplanned visit's. */
export function sessionVisit(s: {
	visit_number: number | null;
	visit_label: string | null;
	planned_before: number | null;
	session_number: number;
}) {
	return s.visit_number !== null
		? { VISITNUM: s.visit_number, VISIT: s.visit_label }
		: unplannedVisit(s.planned_before === null ? null : Number(s.planned_before), s.session_number);
}

/**
 * The subject's first dose (T0 of the first session in effect): DM.RFSTDTC and RFXSTDTC, the
 * origin of every --DY and the cut-off of every --LOBXFL.
 */
export const firstDoseOf = (participantId: string) =>
	sql<
		string | null
	>`(select min(fd.t0) from dosing_session fd where fd.participant_id = ${sql.ref(participantId)} and fd.entered_in_error_at is null)`;

/** Where a dosing session's records sit: subject, visit, planned visit before, first dose. */
export interface SessionContext extends SubjectKeys {
	visit_label: string | null;
	visit_number: number | null;
	session_number: number;
	planned_before: number | null;
	first_dose_at: string | null;
}

/**
 * The columns of SessionContext, for a query over `dosing_session as ds` joined to its
 * `participant as p`, `study as s` and (left) `visit as v`: EX per session, VS per page of readings.
 */
export const sessionContextColumns = () =>
	[...sessionSubjectColumns(), 'v.label as visit_label', 'v.sequence as visit_number'] as const;

/** SessionContext's columns but the visit's, for a session with no visit (SV's unplanned rows). */
export const sessionSubjectColumns = () =>
	[
		'p.subject_code',
		's.code as study_code',
		'ds.session_number',
		plannedVisitBefore('ds').as('planned_before'),
		firstDoseOf('ds.participant_id').as('first_dose_at')
	] as const;

// Rows as the API shows them: camelCase, named fields only. Listing each field (rather than
// converting every column) keeps anything added to a table out of the API until it is chosen.
// Adverse events and scale administrations already come from their services as views.
import type { DosingSession, Participant, Site, Study, Visit, VitalReading } from '../db/schema';
import { enteredTemperature } from '../../domain/vitals';

interface RecordRow {
	version: number;
	created_at: string;
	updated_at: string | null;
	entered_in_error_at: string | null;
	entered_in_error_reason: string | null;
}

/** The columns every clinical record carries. */
function recordFields(r: RecordRow) {
	return {
		enteredInError: r.entered_in_error_at
			? { at: r.entered_in_error_at, reason: r.entered_in_error_reason }
			: null,
		version: r.version,
		createdAt: r.created_at,
		updatedAt: r.updated_at
	};
}

export const studyJson = (s: Study) => ({ id: s.id, code: s.code, title: s.title });

export const siteJson = (s: Site) => ({
	id: s.id,
	code: s.code,
	name: s.name,
	timeZone: s.timezone
});

/** A participant's own fields, as the API and the participant page both show them. */
export const participantFields = (p: Participant) => ({
	subjectCode: p.subject_code,
	status: p.status,
	statusReason: p.status_reason,
	sex: p.sex,
	birthYear: p.birth_year,
	doseGroup: p.dose_group,
	enrolledOn: p.enrolled_on
});

export const participantJson = (p: Participant) => ({
	id: p.id,
	studyId: p.study_id,
	siteId: p.site_id,
	...participantFields(p),
	...recordFields(p)
});

/** A visit's plan and outcome, as the API and the participant page both show them. */
export const visitSchedule = (v: Visit) => ({
	label: v.label,
	kind: v.kind,
	plannedOn: v.planned_on,
	windowStart: v.window_start,
	windowEnd: v.window_end,
	actualOn: v.actual_on,
	status: v.status,
	missedReason: v.missed_reason
});

export const visitJson = (v: Visit) => ({
	id: v.id,
	participantId: v.participant_id,
	siteId: v.site_id,
	visitCode: v.visit_code,
	sequence: v.sequence,
	...visitSchedule(v),
	...recordFields(v)
});

export const dosingSessionJson = (s: DosingSession) => ({
	id: s.id,
	participantId: s.participant_id,
	siteId: s.site_id,
	visitId: s.visit_id,
	sessionNumber: s.session_number,
	t0: s.t0,
	initialDoseMg: s.initial_dose_mg,
	supplementalDoseMg: s.supplemental_dose_mg,
	supplementalAt: s.supplemental_at,
	supplementalNotGivenReason: s.supplemental_not_given_reason,
	supplementalOverrideReason: s.supplemental_override_reason,
	endedAt: s.ended_at,
	...recordFields(s)
});

export const vitalReadingJson = (r: VitalReading) => ({
	id: r.id,
	dosingSessionId: r.dosing_session_id,
	participantId: r.participant_id,
	siteId: r.site_id,
	timepoint: r.timepoint_label,
	timepointMinutes: r.timepoint_minutes,
	measuredAt: r.measured_at,
	systolic: r.systolic,
	diastolic: r.diastolic,
	heartRate: r.heart_rate,
	temperatureC: r.temperature_c,
	temperatureEntered: enteredTemperature(r.temperature_value, r.temperature_unit),
	position: r.position,
	source: r.source,
	/** Recorded as not done, with this reason (VSSTAT, VSREASND). */
	notDoneReason: r.not_done_reason,
	/** The sending device's idempotency key, when it sent one. */
	clientKey: r.client_key,
	...recordFields(r)
});

/** A session with what a client needs to read its times: the subject, site and time zone. */
export const loadedSessionJson = (s: {
	session: DosingSession;
	participant: Participant;
	site: Site;
}) => ({
	...dosingSessionJson(s.session),
	subjectCode: s.participant.subject_code,
	siteCode: s.site.code,
	timeZone: s.site.timezone
});

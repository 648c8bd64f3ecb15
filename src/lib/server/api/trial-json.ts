// Consent, randomisation and medications as the JSON API shows them: camelCase, named fields only
// (as ./serialize). No arm is ever here: randomisation shows the kit and stratum, as the pages do.
import type { ConsentFormVersionRow, ConsentRecordRow } from '../db/schema';
import type { ConmedView } from '../services/trial/conmeds';
import type { ParticipantConsent } from '../services/trial/consent';

export const consentFormVersionJson = (v: ConsentFormVersionRow) => ({
	id: v.id,
	studyId: v.study_id,
	label: v.label,
	language: v.language,
	approvedOn: v.approved_on,
	activeFrom: v.active_from,
	reconsentRequired: v.reconsent_required === 1,
	summary: v.summary
});

export const consentRecordJson = (r: ConsentRecordRow) => ({
	id: r.id,
	participantId: r.participant_id,
	formVersionId: r.form_version_id,
	signedAt: r.signed_at,
	signer: r.signer,
	larName: r.lar_name,
	larRelation: r.lar_relation,
	obtainedByName: r.obtained_by_name,
	witnessName: r.witness_name,
	copyGivenOn: r.copy_given_on,
	copyMedium: r.copy_medium,
	reconsentReason: r.reconsent_reason,
	withdrawnAt: r.withdrawn_at,
	withdrawalScope: r.withdrawal_scope,
	createdAt: r.created_at,
	enteredInError: r.entered_in_error_at
		? { at: r.entered_in_error_at, reason: r.entered_in_error_reason }
		: null
});

/** A participant's consent: the study's versions, their records, and whether consent is valid now. */
export function participantConsentJson(c: ParticipantConsent) {
	const v = c.validity;
	return {
		// Until a study records its first form version, Vigil does not check consent (README).
		tracked: c.versions.length > 0,
		valid: v.valid,
		reason: v.valid ? null : v.reason,
		message: v.valid ? `Valid: version ${v.version.label}.` : v.message,
		requiredVersionId: v.valid ? v.version.id : (v.required?.id ?? null),
		versions: c.versions.map(consentFormVersionJson),
		records: c.records.map(consentRecordJson)
	};
}

export const conmedJson = (m: ConmedView) => ({
	id: m.id,
	participantId: m.participant_id,
	name: m.name,
	ingredient: m.ingredient,
	atcCode: m.atc_code,
	atcClass: m.atc_class,
	dose: m.dose,
	doseUnit: m.dose_unit,
	frequency: m.frequency,
	route: m.route,
	indication: m.indication,
	start: m.start_date,
	stop: m.stop_date,
	warnings: m.warnings,
	version: m.version,
	createdAt: m.created_at,
	updatedAt: m.updated_at,
	enteredInError: m.entered_in_error_at
		? { at: m.entered_in_error_at, reason: m.entered_in_error_reason }
		: null
});

// Table types, one interface per table (Kysely's style). Row types derive from them. Columns that
// hold a code are typed with the domain's union, so a misspelt code fails the type check.
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type {
	ActionTaken,
	Expectedness,
	Outcome,
	Relatedness,
	SeverityScale
} from '../../domain/adverse-events';
import type { FlagLevel, VisitKind } from '../../domain/protocol/codes';
import type { VisitStatus } from '../../domain/protocol/schedule';
import type { ScaleId } from '../../domain/scales';
import type {
	AeParticipantTermTable,
	AeSiteKeyTable,
	CohortCellTable,
	RelapseOutcomeTable,
	ScaleVisitTotalTable,
	SessionBreachCellTable,
	SessionBreachTable,
	SessionPeakCellTable,
	SessionPeakTable,
	SdvRebuildTable,
	SdvRecordStatusTable,
	SdvSiteCellTable
} from './schema-summaries';
import type { SignatureMeaning } from '../../domain/signatures';
import type { Role } from '../../roles';
import type { ParticipantStatus } from '../../schemas/participant';
import type { AuditAction, AuditEntityType } from '../audit/actions';

export type { AuditAction, AuditEntityType };

export interface SiteTable {
	id: Generated<number>;
	code: string;
	name: string;
	timezone: string;
	created_at: string;
	/** ISO 3166-1 alpha-3 (SDTM DM.COUNTRY); null until set (migration 2026_12_06_1510). */
	country: string | null;
}

export interface UserTable {
	id: Generated<number>;
	email: string;
	name: string;
	role: Role;
	password_hash: string;
	must_change_password: Generated<number>;
	disabled_at: string | null;
	failed_sign_ins: Generated<number>;
	last_failed_sign_in_at: number | null;
	created_at: string;
}

export interface UserSiteTable {
	user_id: number;
	site_id: number;
}

/** A sign-in session (Lucia's design): the cookie's token hashed to the id. */
export interface AuthSessionTable {
	id: string;
	user_id: number;
	created_at: number;
	last_active_at: number;
}

export interface AuditEventTable {
	seq: number;
	at: string;
	actor_id: number | null;
	actor_label: string;
	actor_role: string;
	site_id: number | null;
	action: AuditAction;
	entity_type: AuditEntityType;
	entity_id: string | null;
	old_values: string | null;
	new_values: string | null;
	reason: string | null;
	request_id: string | null;
	prev_hash: string;
	hash: string;
}

export interface AuditHeadTable {
	id: number;
	seq: number;
	hash: string;
	/** Ed25519 over the head (head-signature.ts), base64; null when written without a key. */
	signature: string | null;
	key_fingerprint: string | null;
}

export interface DB {
	site: SiteTable;
	user: UserTable;
	user_site: UserSiteTable;
	auth_session: AuthSessionTable;
	audit_event: AuditEventTable;
	audit_head: AuditHeadTable;
	study: StudyTable;
	protocol_version: ProtocolVersionTable;
	participant: ParticipantTable;
	visit: VisitTable;
	dosing_session: DosingSessionTable;
	vital_reading: VitalReadingTable;
	adverse_event: AdverseEventTable;
	scale_administration: ScaleAdministrationTable;
	api_token: ApiTokenTable;
	sign_in_throttle: SignInThrottleTable;
	user_totp: UserTotpTable;
	recovery_code: RecoveryCodeTable;
	sign_in_challenge: SignInChallengeTable;
	flag: FlagTable;
	signature: SignatureTable;
	protocol_deviation: ProtocolDeviationTable;
	signing_session: SigningSessionTable;
	on_call: OnCallTable;
	alert_sent: AlertSentTable;
	data_query: DataQueryTable;
	data_query_step: DataQueryStepTable;
	source_verification: SourceVerificationTable;
	casebook_freeze: CasebookFreezeTable;
	study_lock: StudyLockTable;
	study_unlock_request: StudyUnlockRequestTable;
	consent_form_version: ConsentFormVersionTable;
	consent_record: ConsentRecordTable;
	randomisation_seed: RandomisationSeedTable;
	allocation_slot: AllocationSlotTable;
	randomisation: RandomisationTable;
	concomitant_medication: ConcomitantMedicationTable;
	blinding_guess: BlindingGuessTable;
	epro_link: EproLinkTable;
	scale_visit_total: ScaleVisitTotalTable;
	session_peak: SessionPeakTable;
	session_breach: SessionBreachTable;
	ae_participant_term: AeParticipantTermTable;
	ae_site_key: AeSiteKeyTable;
	cohort_cell: CohortCellTable;
	session_peak_cell: SessionPeakCellTable;
	session_breach_cell: SessionBreachCellTable;
	relapse_outcome: RelapseOutcomeTable;
	sdv_record_status: SdvRecordStatusTable;
	sdv_site_cell: SdvSiteCellTable;
	sdv_rebuild: SdvRebuildTable;
	/** Backfills the app owes a migration, by name (migration 2026_12_10_7000). */
	pending_backfill: { name: string };
}

export type Site = Selectable<SiteTable>;
export type NewSite = Insertable<SiteTable>;
export type User = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type UserUpdate = Updateable<UserTable>;
export type AuthSession = Selectable<AuthSessionTable>;
export type AuditEvent = Selectable<AuditEventTable>;

// ---- Study data capture (migration 2026_11_29_1900_capture) ----

/** Columns every clinical record carries (see recordColumns in the migration). */
export interface RecordColumns {
	version: Generated<number>;
	created_at: string;
	created_by: number | null;
	updated_at: string | null;
	updated_by: number | null;
	entered_in_error_at: string | null;
	entered_in_error_reason: string | null;
}

export interface StudyTable {
	id: Generated<number>;
	code: string;
	title: string;
	created_at: string;
}

export interface ProtocolVersionTable {
	id: Generated<number>;
	study_id: number;
	version: string;
	definition: string;
	loaded_at: string;
	loaded_by: string;
	activated_at: string | null;
	is_active: Generated<number>;
}

export interface ParticipantTable extends RecordColumns {
	id: Generated<number>;
	study_id: number;
	site_id: number;
	subject_code: string;
	status: ParticipantStatus;
	status_reason: string | null;
	sex: string;
	birth_year: number;
	dose_group: string;
	enrolled_on: string | null;
}

export interface VisitTable extends RecordColumns {
	id: Generated<number>;
	participant_id: number;
	site_id: number;
	visit_code: string;
	label: string;
	kind: VisitKind;
	sequence: number;
	planned_on: string | null;
	window_start: string | null;
	window_end: string | null;
	actual_on: string | null;
	status: VisitStatus;
	missed_reason: string | null;
}

export interface DosingSessionTable extends RecordColumns {
	id: Generated<number>;
	participant_id: number;
	site_id: number;
	visit_id: number | null;
	session_number: number;
	t0: string;
	initial_dose_mg: number;
	supplemental_dose_mg: number | null;
	supplemental_at: string | null;
	supplemental_not_given_reason: string | null;
	supplemental_override_reason: string | null;
	ended_at: string | null;
}

export interface VitalReadingTable extends RecordColumns {
	id: Generated<number>;
	dosing_session_id: number;
	participant_id: number;
	site_id: number;
	timepoint_minutes: number | null;
	timepoint_label: string;
	measured_at: string;
	systolic: number | null;
	diastolic: number | null;
	heart_rate: number | null;
	temperature_c: number | null;
	/** The temperature as typed, in the unit typed ('C' or 'F'); temperature_c is it in °C. */
	temperature_value: number | null;
	temperature_unit: 'C' | 'F' | null;
	position: string | null;
	source: string;
	/** Recorded as not done, with this reason (migration 2026_12_06_1230): VSSTAT, VSREASND. */
	not_done_reason: string | null;
	/** The sending device's idempotency key: a retry with the same key stores nothing new. */
	client_key: string | null;
}

export interface AdverseEventTable extends RecordColumns {
	id: Generated<number>;
	participant_id: number;
	site_id: number;
	dosing_session_id: number | null;
	verbatim_term: string;
	coded_term_code: string | null;
	onset_at: string;
	end_at: string | null;
	aware_at: string;
	severity_scale: SeverityScale;
	severity: string;
	criteria: string;
	serious: number;
	relatedness: Relatedness;
	expectedness: Expectedness;
	action_taken: ActionTaken;
	outcome: Outcome;
	notes: string | null;
	/** When the SAE report went to the sponsor (migration 2026_11_29_2130). */
	sae_reported_at: string | null;
	sae_reported_by: number | null;
	/** When the SUSAR report went to the regulators. */
	susar_reported_at: string | null;
	susar_reported_by: number | null;
}

export interface ScaleAdministrationTable extends RecordColumns {
	id: Generated<number>;
	participant_id: number;
	site_id: number;
	visit_id: number | null;
	instrument: ScaleId;
	administered_at: string;
	answers: string;
	complete: number;
	total: number | null;
	band: string | null;
	result: string;
	/** 'staff', or 'participant' for ePRO answers (migration 2026_12_06_1400). */
	origin: Generated<string>;
	device_time: string | null;
	device_zone: string | null;
}

export interface ApiTokenTable {
	id: Generated<number>;
	user_id: number;
	name: string;
	token_hash: string;
	created_at: string;
	last_used_at: string | null;
	revoked_at: string | null;
	/** ISO; null on tokens made before expiries (read as created_at + the configured lifetime). */
	expires_at: string | null;
	/** 'write' (the user's full access) or 'read' (GET only). */
	scope: Generated<string>;
	/** Why it was revoked: 'user', 'disabled', 'password-reset', 'password-change', 'sign-out-everywhere'. */
	revoked_cause: string | null;
}

export type Study = Selectable<StudyTable>;
export type ProtocolVersion = Selectable<ProtocolVersionTable>;
export type Participant = Selectable<ParticipantTable>;
export type Visit = Selectable<VisitTable>;
export type DosingSession = Selectable<DosingSessionTable>;
export type VitalReading = Selectable<VitalReadingTable>;
export type AdverseEvent = Selectable<AdverseEventTable>;
export type ScaleAdministration = Selectable<ScaleAdministrationTable>;
export type ApiToken = Selectable<ApiTokenTable>;

// ---- Safety monitoring (migration 2026_11_29_2030_safety) ----

export interface FlagTable {
	id: Generated<number>;
	study_id: number;
	protocol_version_id: number;
	rule_id: string;
	level: FlagLevel;
	participant_id: number;
	site_id: number;
	source_type: string;
	source_id: number;
	dosing_session_id: number | null;
	condition_key: string;
	trigger_values: string;
	message: string;
	/** raised → acknowledged → actioned → closed */
	status: string;
	raised_at: string;
	acknowledged_at: string | null;
	acknowledged_by: number | null;
	action_at: string | null;
	action_by: number | null;
	action_category: string | null;
	action_text: string | null;
	closed_at: string | null;
	closed_by: number | null;
	outcome: string | null;
	auto_closed: Generated<number>;
	escalated_at: string | null;
	changed_at: string;
}

export interface SignatureTable {
	id: Generated<number>;
	entity_type: string;
	entity_id: number;
	entity_version: number;
	site_id: number;
	signer_id: number;
	signer_name: string;
	meaning: SignatureMeaning;
	signed_at: string;
	voided_at: string | null;
	voided_reason: string | null;
}

export type Flag = Selectable<FlagTable>;
export type Signature = Selectable<SignatureTable>;

// ---- Protocol deviations (migration 2026_12_06_1200_protocol_deviations) ----

export interface ProtocolDeviationTable extends RecordColumns {
	id: Generated<number>;
	study_id: number;
	participant_id: number;
	site_id: number;
	visit_id: number | null;
	dosing_session_id: number | null;
	/** DVCAT, one of DEVIATION_CATEGORIES. */
	category: string;
	/** DVTERM: what happened, in words. */
	description: string;
	/** 1: important (ICH E3 Q&A R1 Q7). */
	important: number;
	/** 'rule' (found by Vigil) or 'manual' (recorded by a person). */
	source: string;
	rule_id: string | null;
	/** The record that caused it (visit, dosing_session, vital_reading, …). */
	source_type: string | null;
	source_id: number | null;
	/** DVSTDTC: when it happened (UTC instant, or a date for a visit day). */
	occurred_at: string;
	/** Why it was done anyway, as given when confirming. */
	reason: string | null;
}

export type ProtocolDeviation = Selectable<ProtocolDeviationTable>;
// ---- Review and monitoring (migrations 2026_12_06_13xx) ----

/** A sign-in session in which its user signed with both components (21 CFR 11.200(a)(1)(i)). */
export interface SigningSessionTable {
	session_id: string;
	user_id: number;
	started_at: string;
}

/** Who is on call for a site's alerts, and when (UTC instants). */
export interface OnCallTable {
	id: Generated<number>;
	site_id: number;
	name: string;
	email: string;
	starts_at: string;
	ends_at: string;
	created_at: string;
	removed_at: string | null;
}

/** One e-mail alert, sent once per kind and event. */
export interface AlertSentTable {
	id: Generated<number>;
	kind: string;
	entity_type: string;
	entity_id: number;
	site_id: number;
	recipients: string;
	sent_at: string;
}

export type OnCall = Selectable<OnCallTable>;

/** A monitor's question on one field of a record: open → answered → closed (or re-opened, cancelled). */
export interface DataQueryTable {
	id: Generated<number>;
	site_id: number;
	participant_id: number;
	entity_type: string;
	entity_id: number;
	field: string;
	/** The field's value when the query was raised (JSON text). */
	queried_value: string | null;
	expected_value: string | null;
	text: string;
	status: string;
	raised_by: number | null;
	raised_at: string;
	changed_at: string;
	closed_at: string | null;
}

export interface DataQueryStepTable {
	id: Generated<number>;
	query_id: number;
	step: string;
	at: string;
	actor_id: number | null;
	actor_name: string;
	actor_role: string;
	text: string | null;
	/** The field's value at this step (JSON text). */
	value: string | null;
}

/** Source data verification of a record (or one field), bound to the version verified. */
export interface SourceVerificationTable {
	id: Generated<number>;
	site_id: number;
	participant_id: number;
	entity_type: string;
	entity_id: number;
	field: string | null;
	value: string | null;
	entity_version: number;
	source: string | null;
	verified_by: number | null;
	verified_by_name: string;
	verified_at: string;
}

export interface CasebookFreezeTable {
	id: Generated<number>;
	participant_id: number;
	site_id: number;
	frozen_at: string;
	frozen_by: number | null;
	reason: string | null;
	unfrozen_at: string | null;
	unfrozen_by: number | null;
	unfreeze_reason: string | null;
}

export interface StudyLockTable {
	id: Generated<number>;
	study_id: number;
	locked_at: string;
	locked_by: number | null;
	reason: string | null;
	unlocked_at: string | null;
	unlocked_by: number | null;
	unlock_reason: string | null;
}

export interface StudyUnlockRequestTable {
	id: Generated<number>;
	study_id: number;
	lock_id: number;
	reason: string;
	requested_at: string;
	requested_by: number | null;
	requested_by_label: string;
	decision: 'approved' | 'declined' | null;
	decided_at: string | null;
	decided_by: number | null;
	decided_by_label: string | null;
	decision_note: string | null;
}
export type StudyUnlockRequest = Selectable<StudyUnlockRequestTable>;

export type DataQuery = Selectable<DataQueryTable>;
export type DataQueryStep = Selectable<DataQueryStepTable>;
export type SourceVerification = Selectable<SourceVerificationTable>;
// ---- The trial around the session (migration 2026_12_06_1400_trial_design) ----

export interface ConsentFormVersionTable {
	id: Generated<number>;
	study_id: number;
	label: string;
	language: string;
	approved_on: string;
	active_from: string;
	reconsent_required: number;
	summary: string | null;
	created_at: string;
	created_by: number | null;
}

export interface ConsentRecordTable extends RecordColumns {
	id: Generated<number>;
	participant_id: number;
	site_id: number;
	form_version_id: number;
	signed_at: string;
	/** 'participant' or 'lar' (legally authorised representative). */
	signer: string;
	lar_name: string | null;
	lar_relation: string | null;
	obtained_by_name: string;
	witness_name: string | null;
	copy_given_on: string | null;
	copy_medium: string | null;
	reconsent_reason: string | null;
	withdrawn_at: string | null;
	withdrawal_scope: string | null;
}

/** Secret: read only by the randomisation service. */
export interface RandomisationSeedTable {
	study_id: number;
	seed: string;
	algorithm: string;
	created_at: string;
}

/** Secret: the arm of every slot; read only through the unblinded services. */
export interface AllocationSlotTable {
	id: Generated<number>;
	study_id: number;
	stratum: string;
	sequence: number;
	block: number;
	block_size: number;
	arm: string;
	kit: string;
	participant_id: number | null;
}

/** What blinded roles may know about a randomisation: when, stratum, kit, unblinding. */
export interface RandomisationTable {
	id: Generated<number>;
	participant_id: number;
	study_id: number;
	site_id: number;
	stratum: string;
	kit: string;
	randomised_at: string;
	randomised_by: number | null;
	unblinded_at: string | null;
	unblinded_by: number | null;
	unblinded_by_name: string | null;
	unblind_reason: string | null;
}

export interface ConcomitantMedicationTable extends RecordColumns {
	id: Generated<number>;
	participant_id: number;
	site_id: number;
	name: string;
	ingredient: string | null;
	atc_code: string | null;
	atc_class: string | null;
	dose: number | null;
	dose_unit: string | null;
	frequency: string | null;
	route: string | null;
	indication: string | null;
	start_date: string;
	stop_date: string | null;
}

export interface BlindingGuessTable extends RecordColumns {
	id: Generated<number>;
	participant_id: number;
	site_id: number;
	respondent: string;
	timepoint: string;
	dosing_session_id: number | null;
	guess: string;
	confidence: string;
	recorded_at: string;
}

export interface EproLinkTable {
	id: Generated<number>;
	participant_id: number;
	site_id: number;
	instrument: string;
	token_hash: string;
	/** 'link' (one-time link) or 'kiosk' (site tablet). */
	mode: string;
	created_at: string;
	created_by: number | null;
	expires_at: string;
	used_at: string | null;
	scale_administration_id: number | null;
}

export type ConsentFormVersionRow = Selectable<ConsentFormVersionTable>;
export type ConsentRecordRow = Selectable<ConsentRecordTable>;
export type RandomisationRow = Selectable<RandomisationTable>;
export type ConcomitantMedicationRow = Selectable<ConcomitantMedicationTable>;
export type BlindingGuessRow = Selectable<BlindingGuessTable>;
export type EproLinkRow = Selectable<EproLinkTable>;

// ---- Sign-in throttling (migration 2026_12_06_1110_sign_in_throttle) ----

export interface SignInThrottleTable {
	/** 'account:<email>|address:<client>' or 'address:<client>'. */
	key: string;
	failures: number;
	/** Epoch milliseconds of the last counted attempt. */
	last_attempt_at: number;
}
export type SignInThrottle = Selectable<SignInThrottleTable>;

// ---- Second factor (migration 2026_12_06_1130_second_factor) ----

export interface UserTotpTable {
	user_id: number;
	/** The RFC 6238 key, base32 (what the authenticator app was given). */
	secret: string;
	created_at: string;
	/** Null while enrolment waits for its first code. */
	enabled_at: string | null;
	/** The last 30-second step a code was accepted for. */
	last_used_step: number | null;
}
export type UserTotp = Selectable<UserTotpTable>;

export interface RecoveryCodeTable {
	id: Generated<number>;
	user_id: number;
	/** SHA-256 (hex) of the code. */
	code_hash: string;
	created_at: string;
	used_at: string | null;
}

export interface SignInChallengeTable {
	/** SHA-256 (hex) of the token in the sign-in cookie. */
	id: string;
	user_id: number;
	/** The client address of the password step (throttling keys on it). */
	address: string;
	/** Epoch milliseconds. */
	created_at: number;
	attempts: Generated<number>;
}
export type SignInChallenge = Selectable<SignInChallengeTable>;

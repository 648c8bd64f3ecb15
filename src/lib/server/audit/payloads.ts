// What each audited entity's trail entries carry: one payload type an entity, its keys in
// camelCase (the shape most services wrote already). A service writes old and new values through
// these types, so a misnamed key fails the type check. Entries already in a trail keep the keys
// they were written with (the chain is hash-linked); LEGACY_PAYLOAD_KEYS names those, and every
// reader of payloads reads them too.
import type { AuditEntityType } from './actions';

type Text = string | null;
type Num = number | null;

/** A record's entry in error (every clinical record) and its source data verification. */
interface RecordLife {
	enteredInErrorAt: Text;
	/** sdv.verify on the record (services/monitoring/sdv.ts). */
	verified: boolean;
	field: string;
	value: unknown;
	entityVersion: number;
	source: Text;
	verificationId: number;
	/** A query's step on the record (services/monitoring/queries.ts). */
	status: Text;
	text: string;
	expectedValue: string;
}

/** An e-mail alert sent (or not) about any record (services/alerts/mailer.ts). */
interface AlertSent {
	kind: string;
	to: string[];
	subject: string;
	error: string;
}

interface PlannedVisit {
	code: string;
	planned?: Text;
	from?: Text;
	to?: Text;
}

interface ParticipantPayload extends RecordLife {
	subjectCode: string;
	sex: string;
	birthYear: number;
	doseGroup: string;
	enrolledOn: Text;
	visits: PlannedVisit[];
	moved: PlannedVisit[];
	frozen: boolean;
	frozenAt: string;
	/** From 2026-12-09: the casebook_freeze row, and when the freeze was lifted. */
	freezeId: number;
	unfrozenAt: string;
	stratum: unknown;
	kit: string;
	algorithm: string;
	unblindedAt: Text;
	requestedBy: string;
	performedBy: string;
	revealed: string;
	reauthenticated: boolean;
	held: unknown;
	category: string;
	important: boolean;
	procedure: string;
	at: string;
	visitId: Num;
	dosingSessionId: Num;
	participants: number;
	reason: string;
}

interface VisitPayload extends RecordLife {
	actualOn: Text;
	missedReason: Text;
}

interface DosingSessionPayload extends RecordLife {
	participant: string;
	visit: string;
	t0: string;
	initialDoseMg: number;
	supplementalDoseMg: Num;
	supplementalAt: Text;
	supplementalNotGivenReason: Text;
	supplementalOverrideReason: Text;
	endedAt: Text;
	held: unknown;
}

interface VitalReadingPayload extends RecordLife {
	session: number;
	timepoint: string;
	measuredAt: string;
	plannedAt: string;
	systolic: Num;
	diastolic: Num;
	heartRate: Num;
	temperatureC: Num;
	temperatureValue: Num;
	temperatureUnit: Text;
	position: Text;
	clientKey: Text;
	confirmedWarnings: Record<string, unknown>;
}

interface AdverseEventPayload extends RecordLife {
	participantId: number;
	dosingSessionId: Num;
	verbatimTerm: string;
	codedTermCode: Text;
	onsetAt: string;
	endAt: Text;
	awareAt: string;
	severityScale: string;
	severity: string;
	serious: boolean;
	criteria: Record<string, boolean>;
	relatedness: string;
	expectedness: string;
	actionTaken: string;
	outcome: string;
	notes: Text;
	report: string;
	reportedAt: string;
	dueAt: string;
	late: boolean;
}

interface ScalePayload extends RecordLife {
	participantId: number;
	instrument: string;
	visit: Text;
	visitId: Num;
	notScheduled: boolean;
	administeredAt: string;
	answers: Record<string, unknown>;
	complete: boolean;
	total: Num;
	band: Text;
	eproLinkId: number;
	mode: string;
	origin: string;
	deviceTime: Text;
	deviceZone: Text;
	/** epro.submit, from 2026-12-09: when the link was used (epro_link.used_at). */
	linkUsedAt: string;
}

interface FlagPayload {
	rule: string;
	level: string;
	source: string;
	values: unknown;
	protocolVersionId: number;
	status: string;
	outcome: unknown;
	escalated: boolean;
	unacknowledgedMinutes: number;
	category: Text;
	text: Text;
	acknowledgedAt: string;
	closedAt: string;
}

interface SignaturePayload {
	entityType: string;
	entityId: number;
	meaning: string;
	entityVersion: number;
	signerName: string;
	signedAt: string;
	components: string;
	batchOf: number;
	batchScopeSha256: string;
	voidedAt: Text;
	reason: string;
	throttled: boolean;
	email: string;
}

interface UserPayload {
	email: string;
	name: string;
	role: string;
	sites: unknown;
	siteIds: number[];
	oneTimePassword: boolean;
	disabledAt: Text;
	sessionsEnded: number;
	tokensRevoked: number;
	everywhere: boolean;
	cause: string | null;
	waitMs: number;
	method: string;
	recoveryCodes: number;
	recoveryCodesLeft: number;
	enrolled: boolean;
	secondFactor: string;
	reason: string;
	/** From 2026-12-09: SHA-256 of a TOTP key and of the recovery code hashes (never either). */
	secretSha256: string;
	recoveryCodesSha256: string;
	/** From 2026-12-09: SHA-256 of the new password hash (never the hash). */
	passwordHashSha256: string;
	/** From 2026-12-09: the tokens a disabling, reset, change or sign-out everywhere revoked. */
	revokedTokenIds: number[];
	tokensRevokedAt: string;
}

interface SitePayload {
	code: string;
	name: string;
	timezone: string;
	country: Text;
}

interface StudyPayload {
	code: string;
	title: string;
	study: string;
	version: string;
	locked: boolean;
	lockedAt: string;
	/** From 2026-12-09: the study_lock row, and when it was lifted. */
	lockId: number;
	unlockedAt: string;
	unlockRequested: boolean;
	requestId: number;
	approved: boolean;
	declined: boolean;
	withdrawn: boolean;
	requestedBy: string;
	approvedBy: string;
	/** protocol.dry_run on the study. */
	activeVersion: string;
	candidateVersion: string;
	days: number;
	totals: unknown;
}

interface ProtocolVersionPayload {
	study: Text;
	version: string;
	/** From 2026-12-09: SHA-256 of the definition as stored. */
	definitionSha256: string;
	protocolVersionId: number;
	activeVersion: string;
	candidateVersion: string;
	days: number;
	totals: unknown;
}

interface ApiTokenPayload {
	name: string;
	scope: string;
	expiresAt: Text;
	revokedAt: Text;
	/** From 2026-12-09: SHA-256 of the stored token hash (never the token or its hash). */
	tokenHashSha256: string;
	method: string;
	path: string;
}

interface ExportPayload {
	kind: string;
	domain: string;
	filters: unknown;
	rowCount: number;
	rows: number;
}

interface ConsentFormVersionPayload {
	label: string;
	language: string;
	approvedOn: string;
	activeFrom: string;
	reconsentRequired: boolean;
	summary: Text;
}

interface ConsentRecordPayload extends RecordLife {
	participantId: number;
	formVersion: string;
	signedAt: string;
	signer: string;
	larName: Text;
	larRelation: Text;
	obtainedBy: string;
	witness: Text;
	copyGivenOn: Text;
	copyMedium: Text;
	withdrawnAt: Text;
	scope: string;
}

interface AllocationListPayload {
	algorithm: string;
	stratum: unknown;
	arms: unknown;
	blockSizes: unknown;
	slots: number;
	listSha256: string;
	seedSha256: string;
	/** randomisation.allocation_view: how many participants the pharmacist saw. */
	participants: number;
}

interface DataQueryPayload {
	status: string;
	entityType: string;
	entityId: number;
	field: string;
	value: unknown;
	text: string;
	expectedValue: string;
}

interface OnCallPayload {
	name: string;
	email: string;
	startsAt: string;
	endsAt: string;
	/** on_call.remove, from 2026-12-09. */
	removedAt: string;
}

interface ConmedPayload extends RecordLife {
	participantId: number;
	name: string;
	ingredient: Text;
	atcCode: Text;
	atcClass: Text;
	dose: Num;
	doseUnit: Text;
	frequency: Text;
	route: Text;
	indication: Text;
	startDate: string;
	stopDate: Text;
	held: unknown;
}

interface DeviationPayload extends Omit<RecordLife, 'source'> {
	participant: string;
	category: string;
	description: string;
	/** A flag on creation; the column's 1 or 0 on a review. */
	important: boolean | number;
	occurredAt: string;
	ruleId: Text;
	/** The record that raised it (a rule's source), or null when a person recorded it. */
	source: unknown;
	reason: Text;
	visitId: Num;
	dosingSessionId: Num;
}

interface BlindingGuessPayload extends RecordLife {
	participantId: number;
	respondent: string;
	timepoint: string;
	guess: string;
	confidence: string;
}

interface EproLinkPayload {
	participantId: number;
	instrument: string;
	mode: string;
	expiresAt: string;
}

/** One payload type for each audited entity. */
export interface AuditPayloads {
	user: UserPayload;
	site: SitePayload;
	study: StudyPayload;
	protocol_version: ProtocolVersionPayload;
	participant: ParticipantPayload;
	visit: VisitPayload;
	dosing_session: DosingSessionPayload;
	vital_reading: VitalReadingPayload;
	adverse_event: AdverseEventPayload;
	scale_administration: ScalePayload;
	flag: FlagPayload;
	signature: SignaturePayload;
	api_token: ApiTokenPayload;
	export: ExportPayload;
	consent_form_version: ConsentFormVersionPayload;
	consent_record: ConsentRecordPayload;
	allocation_list: AllocationListPayload;
	data_query: DataQueryPayload;
	on_call: OnCallPayload;
	concomitant_medication: ConmedPayload;
	protocol_deviation: DeviationPayload;
	blinding_guess: BlindingGuessPayload;
	epro_link: EproLinkPayload;
}

/** An entry's old or new values: some of its entity's payload keys (or an alert's, about it). */
export type AuditPayload<E extends AuditEntityType> = Partial<AuditPayloads[E] & AlertSent>;

/**
 * Keys that only trails written before the keys were unified carry, by entity, each with the key
 * that replaced it (null: nothing replaced it). Readers of payloads (the ODM writer, the data
 * check, the audit explorer) read these as well; tests/integration/audit-payload-keys.test.ts
 * fails when a key here is read by no reader or written by a service again.
 */
export const LEGACY_PAYLOAD_KEYS = {
	dosing_session: {
		// Its creation wrote initialDoseMg and its corrections initial_dose_mg; both now initialDoseMg.
		initial_dose_mg: 'initialDoseMg',
		supplemental_dose_mg: 'supplementalDoseMg',
		supplemental_at: 'supplementalAt',
		supplemental_not_given_reason: 'supplementalNotGivenReason',
		supplemental_override_reason: 'supplementalOverrideReason',
		ended_at: 'endedAt'
	},
	vital_reading: {
		measured_at: 'measuredAt',
		heart_rate: 'heartRate',
		temperature_c: 'temperatureC',
		temperature_value: 'temperatureValue',
		temperature_unit: 'temperatureUnit',
		// Before migration 2026_12_07_1200 the entered temperature was one text ("100.4 F").
		temperature_entered: null
	},
	visit: { actual_on: 'actualOn', missed_reason: 'missedReason' }
} as const satisfies Partial<Record<AuditEntityType, Record<string, string | null>>>;

type CamelCase<S extends string> = S extends `${infer H}_${infer T}`
	? `${H}${Capitalize<CamelCase<T>>}`
	: S;
/** A row's columns as payload keys: `heart_rate` → `heartRate`. */
export type CamelKeys<T> = { [K in keyof T as K extends string ? CamelCase<K> : K]: T[K] };

/** Each column name's payload key, worked out once: column names are few, and every save asks. */
const camelOf = new Map<string, string>();
function camel(key: string): string {
	let out = camelOf.get(key);
	if (out === undefined) {
		out = key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
		if (camelOf.size < 10_000) camelOf.set(key, out);
	}
	return out;
}

/** Column-named values (a change worked out over a row) as payload keys. */
export function camelKeys<T extends object>(values: T): CamelKeys<T> {
	return Object.fromEntries(Object.entries(values).map(([k, v]) => [camel(k), v])) as CamelKeys<T>;
}

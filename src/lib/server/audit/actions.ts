// The audit vocabulary. Each later feature adds its actions here, so the trail's filters know them.
export const AUDIT_ACTIONS = {
	signIn: 'auth.sign_in',
	signInFailed: 'auth.sign_in_failed',
	signInThrottled: 'auth.sign_in_throttled',
	signOut: 'auth.sign_out',
	sessionExpired: 'auth.session_expired',
	siteCreated: 'site.create',
	siteUpdated: 'site.update',
	userCreated: 'user.create',
	userUpdated: 'user.update',
	userDisabled: 'user.disable',
	userEnabled: 'user.enable',
	passwordChanged: 'user.password_change',
	passwordReset: 'user.password_reset',
	studyCreated: 'study.create',
	protocolLoaded: 'protocol.load',
	protocolActivated: 'protocol.activate',
	participantCreated: 'participant.create',
	participantUpdated: 'participant.update',
	participantStatusChanged: 'participant.status',
	participantEnteredInError: 'participant.entered_in_error',
	visitsScheduled: 'visit.schedule',
	visitRecorded: 'visit.record',
	visitRescheduled: 'visit.reschedule',
	dosingSessionCreated: 'dosing_session.create',
	dosingSessionUpdated: 'dosing_session.update',
	dosingSessionEnteredInError: 'dosing_session.entered_in_error',
	vitalsRecorded: 'vitals.create',
	vitalsCorrected: 'vitals.update',
	vitalsEnteredInError: 'vitals.entered_in_error',
	vitalsNotDone: 'vitals.not_done',
	adverseEventRecorded: 'adverse_event.create',
	adverseEventCorrected: 'adverse_event.update',
	adverseEventEnteredInError: 'adverse_event.entered_in_error',
	adverseEventReported: 'adverse_event.report_sent',
	scaleRecorded: 'scale.create',
	scaleCorrected: 'scale.update',
	scaleEnteredInError: 'scale.entered_in_error',
	apiTokenCreated: 'api_token.create',
	apiTokenRevoked: 'api_token.revoke',
	apiTokenUsed: 'api_token.use',
	flagRaised: 'flag.raise',
	flagAutoClosed: 'flag.auto_close',
	flagAcknowledged: 'flag.acknowledge',
	flagActioned: 'flag.action',
	flagClosed: 'flag.close',
	flagEscalated: 'flag.escalate',
	signatureApplied: 'signature.sign',
	signatureVoided: 'signature.void',
	supplementalGateOverridden: 'dosing_session.supplemental_override',
	deviationRecorded: 'protocol_deviation.create',
	deviationUpdated: 'protocol_deviation.update',
	deviationEnteredInError: 'protocol_deviation.entered_in_error',
	signatureFailed: 'signature.failed',
	exportCreated: 'export.create',
	protocolDryRun: 'protocol.dry_run',
	// Issue 14: the trial around the session. Randomisation entries never carry the arm.
	consentFormVersionAdded: 'consent.form_version_add',
	consentRecorded: 'consent.record',
	consentWithdrawn: 'consent.withdraw',
	consentEnteredInError: 'consent.entered_in_error',
	procedureWithoutConsent: 'consent.procedure_without_consent',
	allocationListGenerated: 'randomisation.list_generate',
	participantRandomised: 'randomisation.assign',
	emergencyUnblinding: 'randomisation.emergency_unblind',
	emergencyUnblindingRefused: 'randomisation.emergency_unblind_refused',
	allocationViewed: 'randomisation.allocation_view',
	conmedRecorded: 'conmed.create',
	conmedCorrected: 'conmed.update',
	conmedEnteredInError: 'conmed.entered_in_error',
	dosingHeldForConmed: 'dosing_session.conmed_hold_override',
	blindingGuessRecorded: 'blinding_guess.create',
	blindingGuessEnteredInError: 'blinding_guess.entered_in_error',
	eproLinkIssued: 'epro.link_issue',
	eproSubmitted: 'epro.submit',
	// Issue 13: monitoring, alerts and on-call (their services keep their own short names too).
	casebookFrozen: 'casebook.freeze',
	casebookUnfrozen: 'casebook.unfreeze',
	studyLocked: 'study.lock',
	studyUnlocked: 'study.unlock',
	queryRaised: 'query.raise',
	queryAnswered: 'query.answer',
	queryClosed: 'query.close',
	queryCancelled: 'query.cancel',
	queryReopened: 'query.reopen',
	sdvVerified: 'sdv.verify',
	alertSent: 'alert.sent',
	alertFailed: 'alert.failed',
	onCallAdded: 'on_call.add',
	onCallRemoved: 'on_call.remove'
} as const;

export type AuditActionKey = keyof typeof AUDIT_ACTIONS;
export type AuditAction = (typeof AUDIT_ACTIONS)[AuditActionKey];

/** The record types the trail names (audit_event.entity_type). */
export const AUDIT_ENTITY_TYPES = [
	'user',
	'site',
	'study',
	'protocol_version',
	'participant',
	'visit',
	'dosing_session',
	'vital_reading',
	'adverse_event',
	'scale_administration',
	'flag',
	'signature',
	'api_token',
	'export',
	'consent_form_version',
	'consent_record',
	'allocation_list',
	'data_query',
	'on_call',
	'concomitant_medication',
	'protocol_deviation',
	'blinding_guess'
] as const;
export type AuditEntityType = (typeof AUDIT_ENTITY_TYPES)[number];

/** A list of actions named by their keys, so a renamed action fails the type check. */
export function actionsNamed<K extends AuditActionKey>(
	...keys: K[]
): Array<(typeof AUDIT_ACTIONS)[K]> {
	return keys.map((k) => AUDIT_ACTIONS[k]);
}

export function isAuditAction(value: string): value is AuditAction {
	return (Object.values(AUDIT_ACTIONS) as string[]).includes(value);
}

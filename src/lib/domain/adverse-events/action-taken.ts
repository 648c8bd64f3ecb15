/** Action taken with the study drug because of the adverse event (SDTM AEACN). */

/** Our codes; each maps to one CDISC CT ACN (C66767) submission value below. */
export const actionsTaken = [
	'dose-not-changed',
	'dose-reduced',
	'supplemental-dose-not-given',
	'drug-interrupted',
	'drug-withdrawn',
	'not-applicable',
	'unknown'
] as const;
export type ActionTaken = (typeof actionsTaken)[number];

export const actionTakenLabel = {
	'dose-not-changed': 'Dose not changed',
	'dose-reduced': 'Dose reduced',
	'supplemental-dose-not-given': 'Supplemental dose not given',
	'drug-interrupted': 'Drug interrupted',
	'drug-withdrawn': 'Drug withdrawn',
	'not-applicable': 'Not applicable',
	unknown: 'Unknown'
} as const satisfies Record<ActionTaken, string>;

/**
 * CDISC CT ACN (C66767) submission values for AEACN.
 *
 * 'supplemental-dose-not-given' has no CDISC term of its own. The session's planned dose is the
 * initial dose plus the optional half-dose 1.5–2 h later (DOMAIN.md §1); withholding the half-dose
 * lowers the dose the participant receives in that session while later sessions go ahead, which
 * is DOSE REDUCED, not DRUG INTERRUPTED (a pause that resumes) or DRUG WITHDRAWN (stopped for
 * good). An export keeps the detail in AEACNOTH: see sdtmAeacnOther.
 */
export const sdtmAeacn = {
	'dose-not-changed': 'DOSE NOT CHANGED',
	'dose-reduced': 'DOSE REDUCED',
	'supplemental-dose-not-given': 'DOSE REDUCED',
	'drug-interrupted': 'DRUG INTERRUPTED',
	'drug-withdrawn': 'DRUG WITHDRAWN',
	'not-applicable': 'NOT APPLICABLE',
	unknown: 'UNKNOWN'
} as const satisfies Record<ActionTaken, string>;

export function toSdtmAeacn(action: ActionTaken): (typeof sdtmAeacn)[ActionTaken] {
	return sdtmAeacn[action];
}

/** SDTM AEACNOTH (other action taken, free text): only the supplemental dose needs it. */
export function sdtmAeacnOther(action: ActionTaken): string {
	return action === 'supplemental-dose-not-given' ? 'SUPPLEMENTAL DOSE NOT GIVEN' : '';
}

// Protocol deviation categories and the ICH E3 "important" marker (DOMAIN-2.md §7).

/**
 * [D] DOMAIN-2.md §7 categories. SDTM DV puts the category in DVCAT; the first three default to
 * important because they touch a participant's rights or safety or the key data.
 */
export const DEVIATION_CATEGORIES = [
	'INFORMED CONSENT',
	'ELIGIBILITY',
	'IP/DOSING',
	'RANDOMISATION/BLINDING',
	'VISIT WINDOW',
	'SAFETY ASSESSMENT NOT DONE',
	'PROHIBITED MEDICATION',
	'PRIMARY ENDPOINT',
	'OTHER'
] as const;
export type DeviationCategory = (typeof DEVIATION_CATEGORIES)[number];

/** [D] DOMAIN-2.md §7: "the first three default to important". */
const IMPORTANT_BY_DEFAULT: ReadonlySet<DeviationCategory> = new Set([
	'INFORMED CONSENT',
	'ELIGIBILITY',
	'IP/DOSING'
]);

/**
 * [S] ICH E3 Q&A R1 (2012) Q7: important = may significantly affect the completeness, accuracy or
 * reliability of key data, or a subject's rights, safety or well-being. A person confirms it.
 */
export function importantByDefault(category: DeviationCategory): boolean {
	return IMPORTANT_BY_DEFAULT.has(category);
}

/** Where a deviation came from: found by a rule of Vigil, or recorded by a person. */
export const DEVIATION_SOURCES = ['rule', 'manual'] as const;
export type DeviationSource = (typeof DEVIATION_SOURCES)[number];

/** The rules that detect deviations; each recorded deviation keeps its rule id. */
export const DEVIATION_RULES = {
	visitOutsideWindow: 'deviation.visit.window',
	visitOutOfOrder: 'deviation.visit.order',
	safetyAssessmentNotDone: 'deviation.vitals.not_done',
	supplementalAgainstHold: 'deviation.dosing.supplemental_hold',
	consentMissing: 'deviation.consent.missing',
	prohibitedMedication: 'deviation.conmed.prohibited'
} as const;
export type DeviationRuleId = (typeof DEVIATION_RULES)[keyof typeof DEVIATION_RULES];

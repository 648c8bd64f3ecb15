/**
 * Seriousness of an adverse event. ICH E2A §II.B: an event is serious when it meets at least one
 * of six criteria. Severity (how intense) is a separate question: a severe headache can be
 * non-serious and a mild event can be serious.
 */

/** ICH E2A §II.B serious criteria, in the order the guideline lists them. */
export const seriousnessCriteria = [
	'death',
	'lifeThreatening',
	'hospitalisation',
	'disability',
	'congenitalAnomaly',
	'importantMedicalEvent'
] as const;
export type SeriousnessCriterion = (typeof seriousnessCriteria)[number];

/** One yes/no answer per criterion; every criterion is answered, none is left implied. */
export type SeriousnessCriteria = Record<SeriousnessCriterion, boolean>;

/** SDTMIG AE domain flag variables (each Y/N; AESER = Y exactly when one is Y). */
export const sdtmSeriousnessFlag = {
	death: 'AESDTH',
	lifeThreatening: 'AESLIFE',
	hospitalisation: 'AESHOSP',
	disability: 'AESDISAB',
	congenitalAnomaly: 'AESCONG',
	importantMedicalEvent: 'AESMIE'
} as const satisfies Record<SeriousnessCriterion, string>;
export type SdtmSeriousnessFlag = (typeof sdtmSeriousnessFlag)[SeriousnessCriterion];

/** Wording for forms and reports, after ICH E2A. */
export const seriousnessCriterionLabel = {
	death: 'Results in death',
	lifeThreatening: 'Is life-threatening',
	hospitalisation: 'Requires or prolongs inpatient hospitalisation',
	disability: 'Results in persistent or significant disability or incapacity',
	congenitalAnomaly: 'Is a congenital anomaly or birth defect',
	importantMedicalEvent: 'Is an important medical event'
} as const satisfies Record<SeriousnessCriterion, string>;

/** No criterion met: a convenient starting value for forms and tests. */
export const noSeriousnessCriteria: Readonly<SeriousnessCriteria> = Object.freeze({
	death: false,
	lifeThreatening: false,
	hospitalisation: false,
	disability: false,
	congenitalAnomaly: false,
	importantMedicalEvent: false
});

/** Serious exactly when at least one criterion is met (ICH E2A). */
export function isSerious(criteria: SeriousnessCriteria): boolean {
	return seriousnessCriteria.some((criterion) => criteria[criterion]);
}

/** The criteria that are met, in guideline order. */
export function metSeriousnessCriteria(criteria: SeriousnessCriteria): SeriousnessCriterion[] {
	return seriousnessCriteria.filter((criterion) => criteria[criterion]);
}

export type YesNo = 'Y' | 'N';

/** AESER and its six flags for SDTM export; AESER is derived, never entered. */
export function sdtmSeriousness(
	criteria: SeriousnessCriteria
): Record<'AESER' | SdtmSeriousnessFlag, YesNo> {
	const yn = (value: boolean): YesNo => (value ? 'Y' : 'N');
	return {
		AESER: yn(isSerious(criteria)),
		AESDTH: yn(criteria.death),
		AESLIFE: yn(criteria.lifeThreatening),
		AESHOSP: yn(criteria.hospitalisation),
		AESDISAB: yn(criteria.disability),
		AESCONG: yn(criteria.congenitalAnomaly),
		AESMIE: yn(criteria.importantMedicalEvent)
	};
}

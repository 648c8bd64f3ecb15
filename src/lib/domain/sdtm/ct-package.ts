// The CDISC Controlled Terminology package Vigil's SDTM files claim (define.xml's def:Standard of
// Type "CT"), held as an excerpt: for each CDISC codelist Vigil writes, whether sponsors may extend
// it and the submission values that package publishes. Short lists are whole; long ones (units,
// test codes, routes, forms, questionnaires: hundreds of terms) hold the terms around Vigil's.
// Source: NCI EVS, SDTM Terminology, release 2025-03-28 (the quarterly package CDISC publishes).
// A new release is a new constant here and a change of DECLARED_CT, checked by ctFindings.

export interface CtCodelist {
	/** The codelist's short name (CDISC "Codelist Submission Value"). */
	name: string;
	extensible: boolean;
	/** Submission values as the package publishes them (case matters). */
	terms: readonly string[];
	/** True when `terms` is the whole codelist, false for an excerpt of a long one. */
	whole: boolean;
}

export interface CtPackage {
	publishingSet: 'SDTM';
	/** The release date, as def:Standard/@Version and the package's file name give it. */
	version: string;
	/** By codelist C-code. */
	codelists: Readonly<Record<string, CtCodelist>>;
}

const whole = (name: string, extensible: boolean, terms: readonly string[]): CtCodelist => ({
	name,
	extensible,
	terms,
	whole: true
});
const excerpt = (name: string, terms: readonly string[]): CtCodelist => ({
	name,
	extensible: true,
	terms,
	whole: false
});

export const SDTM_CT_2025_03_28: CtPackage = {
	publishingSet: 'SDTM',
	version: '2025-03-28',
	codelists: {
		C66742: whole('NY', false, ['N', 'NA', 'U', 'Y']),
		C66731: whole('SEX', false, ['F', 'M', 'U', 'UNDIFFERENTIATED']),
		C66781: whole('AGEU', true, ['DAYS', 'HOURS', 'MONTHS', 'WEEKS', 'YEARS']),
		// The package publishes ISO 3166-1 alpha-3 as its terms: checked by isCountryCode.
		C66786: { name: 'COUNTRY', extensible: false, terms: [], whole: false },
		C142179: whole('ARMNULRS', true, [
			'ASSIGNED, NOT TREATED',
			'NOT ASSIGNED',
			'SCREEN FAILURE',
			'UNPLANNED TREATMENT'
		]),
		C66741: excerpt('VSTESTCD', [
			'BMI',
			'DIABP',
			'HEIGHT',
			'MAP',
			'PULSE',
			'RESP',
			'SYSBP',
			'TEMP',
			'VSALL',
			'WEIGHT'
		]),
		C67153: excerpt('VSTEST', [
			'Body Mass Index',
			'Diastolic Blood Pressure',
			'Height',
			'Mean Arterial Pressure',
			'Pulse Rate',
			'Respiratory Rate',
			'Systolic Blood Pressure',
			'Temperature',
			'Vital Signs',
			'Weight'
		]),
		C66770: excerpt('VSRESU', [
			'%',
			'C',
			'F',
			'beats/min',
			'breaths/min',
			'cm',
			'in',
			'kg',
			'kg/m2',
			'LB',
			'mmHg'
		]),
		C71148: excerpt('POSITION', [
			'FOWLERS',
			'PRONE',
			'SEMI-FOWLERS',
			'SITTING',
			'STANDING',
			'SUPINE',
			'TRENDELENBURG'
		]),
		C66789: whole('ND', false, ['NOT DONE']),
		C66769: whole('AESEV', false, ['MILD', 'MODERATE', 'SEVERE']),
		C66767: whole('ACN', false, [
			'DOSE INCREASED',
			'DOSE NOT CHANGED',
			'DOSE RATE REDUCED',
			'DOSE REDUCED',
			'DRUG INTERRUPTED',
			'DRUG WITHDRAWN',
			'NOT APPLICABLE',
			'UNKNOWN'
		]),
		C66768: whole('OUT', false, [
			'FATAL',
			'NOT RECOVERED/NOT RESOLVED',
			'RECOVERED/RESOLVED',
			'RECOVERED/RESOLVED WITH SEQUELAE',
			'RECOVERING/RESOLVING',
			'UNKNOWN'
		]),
		C66729: excerpt('ROUTE', [
			'BUCCAL',
			'INTRAMUSCULAR',
			'INTRAVENOUS',
			'NASAL',
			'ORAL',
			'SUBCUTANEOUS',
			'SUBLINGUAL',
			'TOPICAL',
			'TRANSDERMAL'
		]),
		C66726: excerpt('FRM', ['CAPSULE', 'INJECTION', 'SOLUTION', 'TABLET']),
		C71620: excerpt('UNIT', ['g', 'mg', 'mL', 'ug']),
		C74558: whole('DSCAT', false, ['DISPOSITION EVENT', 'OTHER EVENT', 'PROTOCOL MILESTONE']),
		C100129: excerpt('QSCAT', [
			'BDI-II',
			'C-SSRS BASELINE',
			'C-SSRS SINCE LAST VISIT',
			'HAMD 17',
			'HAMD 21',
			'MADRS',
			'PHQ-9',
			'QIDS-SR16'
		])
	}
};

/** The package every SDTM export and define.xml claims. */
export const DECLARED_CT: CtPackage = SDTM_CT_2025_03_28;

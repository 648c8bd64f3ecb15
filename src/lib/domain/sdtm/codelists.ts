// The controlled terms Vigil's SDTM files use, one list per variable family, each with its CDISC
// CT codelist code (NCI EVS SDTM terminology) where CDISC defines one. Writers take their values
// from these lists and define.xml lists them, so a value outside its list fails a test.
import { sdtmAeacn } from '../adverse-events/action-taken';
import { sdtmAerel } from '../adverse-events/causality';
import { sdtmAeout } from '../adverse-events/outcome';
import { sdtmAesev } from '../adverse-events/severity';
import { DEVIATION_CATEGORIES } from '../deviations/categories';
import { isCountryCode } from './countries';

export interface Codelist {
	name: string;
	/** CDISC CT codelist C-code; absent for sponsor-defined lists. */
	nciCode?: string;
	extensible: boolean;
	/** The submission values Vigil writes; 'ISO 3166-1 alpha-3' for the external dictionary. */
	terms: readonly string[] | 'ISO 3166-1 alpha-3';
	/** Terms a sponsor adds to an extensible CDISC list (define.xml: def:ExtendedValue="Yes"). */
	extended?: readonly string[];
}

const unique = (values: Iterable<string>) => [...new Set(values)];

/** SDTM VSTESTCD/VSTEST and their units (DOMAIN.md §4, pharmaversesdtm pilot). */
export const VS_TESTS = [
	{ measure: 'systolic', code: 'SYSBP', test: 'Systolic Blood Pressure', unit: 'mmHg' },
	{ measure: 'diastolic', code: 'DIABP', test: 'Diastolic Blood Pressure', unit: 'mmHg' },
	{ measure: 'heartRate', code: 'PULSE', test: 'Pulse Rate', unit: 'beats/min' },
	{ measure: 'temperature', code: 'TEMP', test: 'Temperature', unit: 'C' }
] as const;

/**
 * SDTMIG 3.4 §4.5.1.2: a whole group of tests not done is one record, --TESTCD xxALL, with
 * --STAT NOT DONE and --REASND (CT C66741 VSALL "Vital Signs").
 */
export const VS_ALL = { code: 'VSALL', test: 'Vital Signs' } as const;

/** SDTMIG DS: the disposition terms Vigil writes (CT NCOMPLT C66727, PROTMLST C114118). */
export const DS_TERMS = {
	consent: 'INFORMED CONSENT OBTAINED',
	completed: 'COMPLETED',
	withdrawn: 'WITHDRAWAL BY SUBJECT',
	screenFailure: 'SCREEN FAILURE'
} as const;

/** SDTMIG 3.4 DM.ARMNRS, CT C142179: why ARMCD/ACTARMCD are null. */
export const ARM_NULL_REASONS = {
	screenFailure: 'SCREEN FAILURE',
	notAssigned: 'NOT ASSIGNED',
	notTreated: 'ASSIGNED, NOT TREATED',
	unplanned: 'UNPLANNED TREATMENT'
} as const;

/** DV.DVSCAT: ICH E3 Q&A R1 Q7 importance, which SDTM DV has no variable of its own for. */
export const DV_IMPORTANCE = { important: 'IMPORTANT', notImportant: 'NOT IMPORTANT' } as const;

export const CODELISTS = {
	NY: { name: 'No Yes Response', nciCode: 'C66742', extensible: false, terms: ['N', 'Y'] },
	SEX: {
		name: 'Sex',
		nciCode: 'C66731',
		extensible: false,
		terms: ['F', 'M', 'U', 'UNDIFFERENTIATED']
	},
	AGEU: { name: 'Age Unit', nciCode: 'C66781', extensible: true, terms: ['YEARS'] },
	COUNTRY: { name: 'Country', nciCode: 'C66786', extensible: false, terms: 'ISO 3166-1 alpha-3' },
	ARMNRS: {
		name: 'Reason Arm and/or Actual Arm is Null',
		nciCode: 'C142179',
		extensible: true,
		terms: Object.values(ARM_NULL_REASONS)
	},
	VSTESTCD: {
		name: 'Vital Signs Test Code',
		nciCode: 'C66741',
		extensible: true,
		terms: [...VS_TESTS.map((t) => t.code), VS_ALL.code]
	},
	VSTEST: {
		name: 'Vital Signs Test Name',
		nciCode: 'C67153',
		extensible: true,
		terms: [...VS_TESTS.map((t) => t.test), VS_ALL.test]
	},
	VSRESU: {
		name: 'Units for Vital Signs Results',
		nciCode: 'C66770',
		extensible: true,
		terms: ['mmHg', 'beats/min', 'C', 'F']
	},
	POSITION: {
		name: 'Position',
		nciCode: 'C71148',
		extensible: true,
		terms: ['SITTING', 'SUPINE', 'STANDING']
	},
	ND: { name: 'Not Done', nciCode: 'C66789', extensible: false, terms: ['NOT DONE'] },
	AESEV: {
		name: 'Severity/Intensity Scale for Adverse Events',
		nciCode: 'C66769',
		extensible: false,
		terms: Object.values(sdtmAesev)
	},
	TOXGR: {
		name: 'CTCAE v5 grade (sponsor-defined)',
		extensible: false,
		terms: ['1', '2', '3', '4', '5']
	},
	ACN: {
		name: 'Action Taken with Study Treatment',
		nciCode: 'C66767',
		extensible: false,
		terms: unique(Object.values(sdtmAeacn))
	},
	OUT: {
		name: 'Outcome of Event',
		nciCode: 'C66768',
		extensible: false,
		terms: Object.values(sdtmAeout)
	},
	AEREL: {
		name: 'Causality (sponsor-defined, 5 points)',
		extensible: false,
		terms: Object.values(sdtmAerel)
	},
	ROUTE: { name: 'Route of Administration', nciCode: 'C66729', extensible: true, terms: ['ORAL'] },
	FRM: {
		name: 'Pharmaceutical Dosage Form',
		nciCode: 'C66726',
		extensible: true,
		terms: ['CAPSULE']
	},
	UNIT: { name: 'Unit', nciCode: 'C71620', extensible: true, terms: ['mg'] },
	DSCAT: {
		name: 'Category for Disposition Event',
		nciCode: 'C74558',
		extensible: false,
		terms: ['DISPOSITION EVENT', 'PROTOCOL MILESTONE', 'OTHER EVENT']
	},
	DSDECOD: {
		name: 'Completion/Reason for Non-Completion and Protocol Milestone',
		extensible: true,
		terms: Object.values(DS_TERMS)
	},
	DVCAT: {
		name: 'Category for Protocol Deviation (sponsor-defined)',
		extensible: false,
		terms: DEVIATION_CATEGORIES
	},
	DVSCAT: {
		name: 'Importance of Protocol Deviation (sponsor-defined, ICH E3 Q&A R1 Q7)',
		extensible: false,
		terms: Object.values(DV_IMPORTANCE)
	},
	QSCAT: {
		name: 'Category of Questionnaire',
		nciCode: 'C100129',
		extensible: true,
		terms: ['MADRS', 'HAMD 17', 'PHQ-9', 'QIDS-SR16', 'BDI-II', 'C-SSRS BASELINE']
	}
} as const satisfies Record<string, Codelist>;

export type CodelistId = keyof typeof CODELISTS;

/** Whether a written value is in its list (an empty value is, for a variable that may be null). */
export function inCodelist(id: CodelistId, value: string): boolean {
	const list: Codelist = CODELISTS[id];
	if (value === '') return true;
	if (list.terms === 'ISO 3166-1 alpha-3') return isCountryCode(value);
	return list.terms.includes(value);
}

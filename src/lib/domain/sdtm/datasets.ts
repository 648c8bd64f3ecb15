// Every SDTM dataset Vigil writes, variable by variable, in file order (SDTMIG v3.4 domain tables:
// names, labels, Core and Role as published). The one source of truth for CSV, XPT and define.xml.
import {
	identifierVariables as IDS,
	UNPLANNED_VISITNUM,
	sequenceVariable,
	studyDayVariable,
	visitVariables
} from './common-variables';
import { assigned, derived, protocol, variable as v, type DatasetSpec } from './spec';

const firstDose = 'Date-time of the first dose (EX.EXSTDTC of the first initial dose), UTC.';

export const DM = {
	name: 'DM',
	label: 'Demographics',
	class: 'SPECIAL PURPOSE',
	structure: 'One record per subject',
	keys: ['STUDYID', 'USUBJID'],
	variables: [
		...IDS,
		v('SUBJID', 'Subject Identifier for the Study', 'text', 'Req', 'Topic'),
		v('RFSTDTC', 'Subject Reference Start Date/Time', 'datetime', 'Exp', 'Record Qualifier', {
			origin: derived(firstDose)
		}),
		v('RFENDTC', 'Subject Reference End Date/Time', 'datetime', 'Exp', 'Record Qualifier', {
			origin: derived('For subjects who completed or withdrew: RFPENDTC. Else null.')
		}),
		v('RFXSTDTC', 'Date/Time of First Study Treatment', 'datetime', 'Exp', 'Record Qualifier', {
			origin: derived('Earliest EX.EXSTDTC of the subject.')
		}),
		v('RFXENDTC', 'Date/Time of Last Study Treatment', 'datetime', 'Exp', 'Record Qualifier', {
			origin: derived('Latest EX.EXENDTC of the subject (initial or supplemental dose).')
		}),
		v('RFICDTC', 'Date/Time of Informed Consent', 'datetime', 'Exp', 'Record Qualifier', {
			origin: derived('When the first informed consent was signed (DS); else the enrolment date.')
		}),
		v('RFPENDTC', 'Date/Time of End of Participation', 'datetime', 'Exp', 'Record Qualifier', {
			origin: derived(
				'Last contact on record: the latest of visit dates, dose times, vital signs and ' +
					'rating-scale times.'
			)
		}),
		v('DTHDTC', 'Date/Time of Death', 'datetime', 'Exp', 'Record Qualifier', {
			origin: derived('End date-time of an adverse event with outcome FATAL.')
		}),
		v('DTHFL', 'Subject Death Flag', 'text', 'Exp', 'Record Qualifier', {
			origin: derived('Y when an adverse event results in death (AESDTH = Y or AEOUT = FATAL).'),
			codelist: 'NY'
		}),
		v('SITEID', 'Study Site Identifier', 'text', 'Req', 'Record Qualifier'),
		v('BRTHDTC', 'Date/Time of Birth', 'partialDate', 'Perm', 'Record Qualifier'),
		v('AGE', 'Age', 'integer', 'Exp', 'Record Qualifier', {
			origin: derived(
				'Year of RFICDTC (else RFSTDTC) − year of birth; only the year of birth is ' +
					'collected, so AGE may exceed the exact age by one year.'
			)
		}),
		v('AGEU', 'Age Units', 'text', 'Exp', 'Variable Qualifier', {
			origin: assigned,
			codelist: 'AGEU'
		}),
		v('SEX', 'Sex', 'text', 'Req', 'Record Qualifier', { codelist: 'SEX' }),
		v('ARMCD', 'Planned Arm Code', 'text', 'Exp', 'Record Qualifier', {
			origin: derived(
				'Randomised study: the allocated arm code, only in an export whose reader may know ' +
					'arms (unblinded role, or the study locked), else null. Open-label study: the ' +
					'dose group in capitals without spaces (120 mg → 120MG).'
			)
		}),
		v('ARM', 'Description of Planned Arm', 'text', 'Exp', 'Synonym Qualifier', {
			origin: derived("The protocol's label of ARMCD (randomised) or the dose group (open label).")
		}),
		v('ACTARMCD', 'Actual Arm Code', 'text', 'Exp', 'Record Qualifier', {
			origin: derived(
				'Randomised: ARMCD once the subject was dosed. Open label: the code of the dose group ' +
					'whose dose every initial dose given was. Else null (see ARMNRS).'
			)
		}),
		v('ACTARM', 'Description of Actual Arm', 'text', 'Exp', 'Synonym Qualifier', {
			origin: derived('The label of ACTARMCD, else null (see ARMNRS).')
		}),
		v('ARMNRS', 'Reason Arm and/or Actual Arm is Null', 'text', 'Exp', 'Record Qualifier', {
			origin: derived(
				'NOT ASSIGNED while screening or not yet randomised; SCREEN FAILURE if withdrawn ' +
					'before enrolment; ASSIGNED, NOT TREATED if assigned and not yet dosed. Null ' +
					'with ARMCD … ACTARM while a randomised arm is concealed from the export.'
			),
			codelist: 'ARMNRS'
		}),
		v('ACTARMUD', 'Description of Unplanned Actual Arm', 'text', 'Exp', 'Record Qualifier', {
			origin: derived(
				'Open-label study, subject dosed with initial doses that match no dose group (a dose ' +
					'no group plans, or different doses across sessions): what was given. ARMNRS is ' +
					'then UNPLANNED TREATMENT. Else null.'
			)
		}),
		v('COUNTRY', 'Country', 'text', 'Req', 'Record Qualifier', {
			origin: derived("The site's country setting (ISO 3166-1 alpha-3)."),
			codelist: 'COUNTRY'
		}),
		v('DMDTC', 'Date/Time of Collection', 'datetime', 'Perm', 'Timing'),
		studyDayVariable('DMDY', 'Study Day of Collection', 'DMDTC')
	]
} as const satisfies DatasetSpec;

export const SV = {
	name: 'SV',
	label: 'Subject Visits',
	class: 'SPECIAL PURPOSE',
	structure: 'One record per actual or planned visit per subject',
	keys: ['STUDYID', 'USUBJID', 'VISITNUM'],
	variables: [
		...IDS,
		v('VISITNUM', 'Visit Number', 'float', 'Req', 'Topic', {
			origin: derived(UNPLANNED_VISITNUM)
		}),
		v('VISIT', 'Visit Name', 'text', 'Perm', 'Synonym Qualifier', {
			origin: derived("The protocol's label; UNSCHEDULED and VISITNUM for an unplanned visit.")
		}),
		v('VISITDY', 'Planned Study Day of Visit', 'integer', 'Perm', 'Timing', {
			origin: derived(
				'Study day of the planned date, counted as --DY from DM.RFSTDTC; null for an ' +
					'unplanned visit.'
			)
		}),
		v('SVPRESP', 'Pre-specified', 'text', 'Perm', 'Variable Qualifier', {
			origin: derived("Y for a visit of the protocol's schedule; null for an unplanned one."),
			codelist: 'NY'
		}),
		v('SVOCCUR', 'Occurrence', 'text', 'Perm', 'Record Qualifier', {
			origin: derived('Y for a planned visit done, N for one missed; null for an unplanned one.'),
			codelist: 'NY'
		}),
		v('SVREASOC', 'Reason for Occur Value', 'text', 'Perm', 'Record Qualifier'),
		v('SVSTDTC', 'Start Date/Time of Observation', 'date', 'Exp', 'Timing'),
		v('SVENDTC', 'End Date/Time of Observation', 'date', 'Exp', 'Timing'),
		studyDayVariable('SVSTDY', 'Study Day of Start of Observation', 'SVSTDTC'),
		studyDayVariable('SVENDY', 'Study Day of End of Observation', 'SVENDTC'),
		v('SVUPDES', 'Description of Unplanned Visit', 'text', 'Perm', 'Record Qualifier', {
			origin: derived(
				'For an unplanned visit (a dosing session recorded without a planned visit): the ' +
					'session, its initial dose and why it is unplanned. Null for planned visits.'
			)
		})
	]
} as const satisfies DatasetSpec;

export const TV = {
	name: 'TV',
	label: 'Trial Visits',
	class: 'TRIAL DESIGN',
	structure: 'One record per planned Visit per Arm',
	keys: ['STUDYID', 'ARMCD', 'VISITNUM'],
	variables: [
		v('STUDYID', 'Study Identifier', 'text', 'Req', 'Identifier', { origin: assigned }),
		v('DOMAIN', 'Domain Abbreviation', 'text', 'Req', 'Identifier', { origin: assigned }),
		v('VISITNUM', 'Visit Number', 'integer', 'Req', 'Topic', {
			origin: derived("The visit's order in the protocol's schedule (as SV.VISITNUM).")
		}),
		v('VISIT', 'Visit Name', 'text', 'Perm', 'Synonym Qualifier', { origin: protocol }),
		v('VISITDY', 'Planned Study Day of Visit', 'integer', 'Perm', 'Timing', {
			origin: derived(
				"Study day of the visit's planned date when every visit is on its planned date, " +
					'day 1 being the first dosing visit (RFSTDTC is the first dose); no day 0.'
			)
		}),
		v('ARMCD', 'Planned Arm Code', 'text', 'Exp', 'Record Qualifier', {
			origin: derived('Null: the visit schedule is the same in every arm.')
		}),
		v('TVSTRL', 'Visit Start Rule', 'text', 'Req', 'Rule', {
			origin: derived(
				"The protocol's anchor and offset, with the visit window: e.g. 7 days after visit " +
					'PREP2 (window 3 days before to 3 days after).'
			)
		}),
		v('TVENRL', 'Visit End Rule', 'text', 'Perm', 'Rule', {
			origin: derived('A visit is one day: it ends the day it starts.')
		})
	]
} as const satisfies DatasetSpec;

export const EX = {
	name: 'EX',
	label: 'Exposure',
	class: 'INTERVENTIONS',
	structure: 'One record per administration per subject',
	keys: ['STUDYID', 'USUBJID', 'EXTRT', 'EXSTDTC'],
	variables: [
		...IDS,
		sequenceVariable('EXSEQ'),
		v('EXTRT', 'Name of Treatment', 'text', 'Req', 'Topic', { origin: protocol }),
		v('EXDOSE', 'Dose', 'float', 'Exp', 'Record Qualifier'),
		v('EXDOSU', 'Dose Units', 'text', 'Exp', 'Variable Qualifier', {
			origin: assigned,
			codelist: 'UNIT'
		}),
		v('EXDOSFRM', 'Dose Form', 'text', 'Exp', 'Variable Qualifier', {
			origin: protocol,
			codelist: 'FRM'
		}),
		v('EXROUTE', 'Route of Administration', 'text', 'Perm', 'Variable Qualifier', {
			origin: protocol,
			codelist: 'ROUTE'
		}),
		...visitVariables,
		v('EXSTDTC', 'Start Date/Time of Treatment', 'datetime', 'Exp', 'Timing'),
		v('EXENDTC', 'End Date/Time of Treatment', 'datetime', 'Exp', 'Timing', {
			origin: derived('A single oral dose: the time it was taken (EXSTDTC).')
		}),
		studyDayVariable('EXSTDY', 'Study Day of Start of Treatment', 'EXSTDTC'),
		studyDayVariable('EXENDY', 'Study Day of End of Treatment', 'EXENDTC'),
		v('EXTPT', 'Planned Time Point Name', 'text', 'Perm', 'Timing', {
			origin: derived('INITIAL DOSE or SUPPLEMENTAL DOSE of the dosing session.')
		})
	]
} as const satisfies DatasetSpec;

export const AE = {
	name: 'AE',
	label: 'Adverse Events',
	class: 'EVENTS',
	structure: 'One record per adverse event per subject',
	keys: ['STUDYID', 'USUBJID', 'AEDECOD', 'AESTDTC'],
	variables: [
		...IDS,
		sequenceVariable('AESEQ'),
		v('AETERM', 'Reported Term for the Adverse Event', 'text', 'Req', 'Topic'),
		v('AEDECOD', 'Dictionary-Derived Term', 'text', 'Req', 'Synonym Qualifier', {
			origin: derived("Preferred term of the coded term in Vigil's bundled term list.")
		}),
		v('AESEV', 'Severity/Intensity', 'text', 'Perm', 'Record Qualifier', { codelist: 'AESEV' }),
		v('AETOXGR', 'Standard Toxicity Grade', 'text', 'Perm', 'Record Qualifier', {
			codelist: 'TOXGR'
		}),
		v('AESER', 'Serious Event', 'text', 'Exp', 'Record Qualifier', {
			origin: derived('Y exactly when one of AESDTH … AESMIE is Y (ICH E2A).'),
			codelist: 'NY'
		}),
		v('AESDTH', 'Results in Death', 'text', 'Perm', 'Record Qualifier', { codelist: 'NY' }),
		v('AESLIFE', 'Is Life Threatening', 'text', 'Perm', 'Record Qualifier', { codelist: 'NY' }),
		v('AESHOSP', 'Requires or Prolongs Hospitalization', 'text', 'Perm', 'Record Qualifier', {
			codelist: 'NY'
		}),
		v('AESDISAB', 'Persist or Signif Disability/Incapacity', 'text', 'Perm', 'Record Qualifier', {
			codelist: 'NY'
		}),
		v('AESCONG', 'Congenital Anomaly or Birth Defect', 'text', 'Perm', 'Record Qualifier', {
			codelist: 'NY'
		}),
		v('AESMIE', 'Other Medically Important Serious Event', 'text', 'Perm', 'Record Qualifier', {
			codelist: 'NY'
		}),
		v('AEREL', 'Causality', 'text', 'Exp', 'Record Qualifier', { codelist: 'AEREL' }),
		v('AEACN', 'Action Taken with Study Treatment', 'text', 'Exp', 'Record Qualifier', {
			codelist: 'ACN'
		}),
		v('AEACNOTH', 'Other Action Taken', 'text', 'Perm', 'Record Qualifier'),
		v('AEOUT', 'Outcome of Adverse Event', 'text', 'Perm', 'Record Qualifier', {
			codelist: 'OUT'
		}),
		v('AESTDTC', 'Start Date/Time of Adverse Event', 'datetime', 'Exp', 'Timing'),
		v('AEENDTC', 'End Date/Time of Adverse Event', 'datetime', 'Exp', 'Timing'),
		studyDayVariable('AESTDY', 'Study Day of Start of Adverse Event', 'AESTDTC'),
		studyDayVariable('AEENDY', 'Study Day of End of Adverse Event', 'AEENDTC')
	]
} as const satisfies DatasetSpec;

// The findings datasets (VS, QS), disposition (DS), medications (CM) and protocol deviations (DV),
// variable by variable (SDTMIG v3.4).
import {
	identifierVariables as IDS,
	sequenceVariable,
	studyDayVariable,
	visitVariables
} from './common-variables';
import { assigned, derived, variable as v, type DatasetSpec } from './spec';

const lastBeforeExposure = (x: string) =>
	derived(`Y on the last non-missing ${x}STRESC of each test before the first dose (DM.RFXSTDTC).`);

export const VS = {
	name: 'VS',
	label: 'Vital Signs',
	class: 'FINDINGS',
	structure: 'One record per vital sign measurement per time point per visit per subject',
	keys: ['STUDYID', 'USUBJID', 'VSTESTCD', 'VISITNUM', 'VSDTC'],
	variables: [
		...IDS,
		sequenceVariable('VSSEQ'),
		v('VSTESTCD', 'Vital Signs Test Short Name', 'text', 'Req', 'Topic', {
			codelist: 'VSTESTCD'
		}),
		v('VSTEST', 'Vital Signs Test Name', 'text', 'Req', 'Synonym Qualifier', {
			codelist: 'VSTEST'
		}),
		v('VSPOS', 'Vital Signs Position of Subject', 'text', 'Perm', 'Record Qualifier', {
			codelist: 'POSITION'
		}),
		v('VSORRES', 'Result or Finding in Original Units', 'text', 'Exp', 'Result Qualifier'),
		v('VSORRESU', 'Original Units', 'text', 'Exp', 'Variable Qualifier', { codelist: 'VSRESU' }),
		v('VSSTRESC', 'Character Result/Finding in Std Format', 'text', 'Exp', 'Result Qualifier', {
			origin: derived('The standard-unit result (VSSTRESN) as text.')
		}),
		v('VSSTRESN', 'Numeric Result/Finding in Standard Units', 'float', 'Exp', 'Result Qualifier', {
			origin: derived('The result in mmHg, beats/min or °C (°F converted, to 0.1 °C).')
		}),
		v('VSSTRESU', 'Standard Units', 'text', 'Exp', 'Variable Qualifier', {
			origin: assigned,
			codelist: 'VSRESU'
		}),
		v('VSSTAT', 'Completion Status', 'text', 'Perm', 'Record Qualifier', {
			origin: derived(
				'NOT DONE on a scheduled reading recorded as not done (one record, VSTESTCD VSALL; ' +
					'VSDTC its planned time); else null.'
			),
			codelist: 'ND'
		}),
		v('VSREASND', 'Reason Not Done', 'text', 'Perm', 'Record Qualifier'),
		v('VSLOBXFL', 'Last Observation Before Exposure Flag', 'text', 'Exp', 'Record Qualifier', {
			origin: lastBeforeExposure('VS'),
			codelist: 'NY'
		}),
		...visitVariables,
		v('VSDTC', 'Date/Time of Measurements', 'datetime', 'Exp', 'Timing'),
		studyDayVariable('VSDY', 'Study Day of Vital Signs', 'VSDTC'),
		v('VSTPT', 'Planned Time Point Name', 'text', 'Perm', 'Timing', {
			origin: derived("The protocol's timepoint; null for unscheduled readings.")
		}),
		v('VSTPTNUM', 'Planned Time Point Number', 'integer', 'Perm', 'Timing', {
			origin: derived("The timepoint's number in the protocol's session schedule.")
		}),
		v('VSELTM', 'Planned Elapsed Time from Time Point Ref', 'text', 'Perm', 'Timing', {
			origin: derived('Planned minutes from the initial dose as an ISO 8601 duration.')
		}),
		v('VSTPTREF', 'Time Point Reference', 'text', 'Perm', 'Timing', {
			origin: derived("The protocol's timepoint reference (INITIAL DOSE).")
		}),
		v('VSRFTDTC', 'Date/Time of Reference Time Point', 'datetime', 'Perm', 'Timing', {
			origin: derived("The session's initial dose time (T0).")
		})
	]
} as const satisfies DatasetSpec;

export const QS = {
	name: 'QS',
	label: 'Questionnaires',
	class: 'FINDINGS',
	structure: 'One record per questionnaire per question per time point per visit per subject',
	keys: ['STUDYID', 'USUBJID', 'QSCAT', 'QSTESTCD', 'VISITNUM', 'QSGRPID'],
	variables: [
		...IDS,
		sequenceVariable('QSSEQ'),
		v('QSGRPID', 'Group ID', 'text', 'Perm', 'Identifier', {
			origin: derived('One value per administration: instrument and record number.')
		}),
		v('QSTESTCD', 'Question Short Name', 'text', 'Req', 'Topic'),
		v('QSTEST', 'Question Name', 'text', 'Req', 'Synonym Qualifier'),
		v('QSCAT', 'Category of Question', 'text', 'Exp', 'Grouping Qualifier', {
			origin: assigned,
			codelist: 'QSCAT'
		}),
		v('QSORRES', 'Finding in Original Units', 'text', 'Exp', 'Result Qualifier'),
		v('QSSTRESC', 'Character Result/Finding in Std Format', 'text', 'Exp', 'Result Qualifier', {
			origin: derived('The score, or the answer as given when it is not a score.')
		}),
		v('QSSTRESN', 'Numeric Finding in Standard Units', 'integer', 'Perm', 'Result Qualifier', {
			origin: derived('The score; totals summed per the instrument (DOMAIN.md §2).')
		}),
		v('QSSTAT', 'Completion Status', 'text', 'Perm', 'Record Qualifier', { codelist: 'ND' }),
		v('QSREASND', 'Reason Not Performed', 'text', 'Perm', 'Record Qualifier'),
		v('QSLOBXFL', 'Last Observation Before Exposure Flag', 'text', 'Exp', 'Record Qualifier', {
			origin: derived(
				"Y on each result of the subject's last administration of the instrument before " +
					'the first dose (DM.RFXSTDTC); not on items not assessed.'
			),
			codelist: 'NY'
		}),
		...visitVariables,
		v('QSDTC', 'Date/Time of Finding', 'datetime', 'Exp', 'Timing'),
		studyDayVariable('QSDY', 'Study Day of Finding', 'QSDTC'),
		v('QSEVLINT', 'Evaluation Interval', 'text', 'Perm', 'Timing', {
			origin: derived("The instrument's recall period as an ISO 8601 duration.")
		})
	]
} as const satisfies DatasetSpec;

export const DS = {
	name: 'DS',
	label: 'Disposition',
	class: 'EVENTS',
	structure: 'One record per disposition status or protocol milestone per subject',
	keys: ['STUDYID', 'USUBJID', 'DSCAT', 'DSSTDTC'],
	variables: [
		...IDS,
		sequenceVariable('DSSEQ'),
		v('DSTERM', 'Reported Term for the Disposition Event', 'text', 'Req', 'Topic', {
			origin: derived(
				'Consent signed (each version), consent withdrawn with its scope, and the ' +
					"participant's completion or withdrawal with its reason."
			)
		}),
		v('DSDECOD', 'Standardized Disposition Term', 'text', 'Req', 'Synonym Qualifier', {
			codelist: 'DSDECOD'
		}),
		v('DSCAT', 'Category for Disposition Event', 'text', 'Exp', 'Grouping Qualifier', {
			origin: assigned,
			codelist: 'DSCAT'
		}),
		v('DSSTDTC', 'Start Date/Time of Disposition Event', 'datetime', 'Exp', 'Timing', {
			origin: derived(
				'Consent: signed or withdrawn at; completion or withdrawal: when the status was ' +
					'recorded (audit trail).'
			)
		}),
		studyDayVariable('DSSTDY', 'Study Day of Start of Disposition Event', 'DSSTDTC')
	]
} as const satisfies DatasetSpec;

export const CM = {
	name: 'CM',
	label: 'Concomitant/Prior Medications',
	class: 'INTERVENTIONS',
	structure: 'One record per recorded medication occurrence per subject',
	keys: ['STUDYID', 'USUBJID', 'CMTRT', 'CMSTDTC'],
	variables: [
		...IDS,
		sequenceVariable('CMSEQ'),
		v('CMTRT', 'Reported Name of Drug, Med, or Therapy', 'text', 'Req', 'Topic'),
		v('CMCLAS', 'Medication Class', 'text', 'Perm', 'Variable Qualifier'),
		v('CMCLASCD', 'Medication Class Code', 'text', 'Perm', 'Variable Qualifier'),
		v('CMINDC', 'Indication', 'text', 'Perm', 'Record Qualifier'),
		v('CMDOSE', 'Dose per Administration', 'float', 'Perm', 'Record Qualifier'),
		v('CMDOSU', 'Dose Units', 'text', 'Perm', 'Variable Qualifier'),
		v('CMDOSFRQ', 'Dosing Frequency per Interval', 'text', 'Perm', 'Variable Qualifier'),
		v('CMROUTE', 'Route of Administration', 'text', 'Perm', 'Variable Qualifier'),
		v('CMSTDTC', 'Start Date/Time of Medication', 'partialDate', 'Exp', 'Timing'),
		v('CMENDTC', 'End Date/Time of Medication', 'partialDate', 'Exp', 'Timing'),
		studyDayVariable('CMSTDY', 'Study Day of Start of Medication', 'CMSTDTC'),
		studyDayVariable('CMENDY', 'Study Day of End of Medication', 'CMENDTC')
	]
} as const satisfies DatasetSpec;

/**
 * SUPPDV: what SDTM DV has no variable for (DOMAIN-2.md §7). The ICH E3 importance as a flag (also
 * DVSCAT, for readers that look there), and the rule of Vigil that found the deviation.
 */
export const DV_QUALIFIERS = [
	v('DVIMPT', 'Important Protocol Deviation', 'text', 'Exp', 'Record Qualifier', {
		origin: derived(
			'Y when the deviation is important (ICH E3 Q&A R1 Q7: may significantly affect key ' +
				"data or a subject's rights, safety or well-being), as set or confirmed by the " +
				'site; else N. One per DV record.'
		),
		codelist: 'NY'
	}),
	v('DVRULE', 'Vigil Rule That Found the Deviation', 'text', 'Perm', 'Record Qualifier', {
		origin: derived(
			"The identifier of Vigil's rule that found the deviation (e.g. consent, visit window, " +
				'missed vital signs), when a rule found it and a person confirmed it; absent when a ' +
				'person recorded it.'
		)
	})
] as const;

export const DV = {
	name: 'DV',
	label: 'Protocol Deviations',
	class: 'EVENTS',
	structure: 'One record per protocol deviation per subject',
	keys: ['STUDYID', 'USUBJID', 'DVCAT', 'DVSTDTC', 'DVSPID'],
	variables: [
		...IDS,
		sequenceVariable('DVSEQ'),
		v('DVSPID', 'Sponsor-Defined Identifier', 'text', 'Perm', 'Identifier', {
			origin: derived("DV- and Vigil's record number of the deviation.")
		}),
		v('DVTERM', 'Protocol Deviation Term', 'text', 'Req', 'Topic'),
		v('DVCAT', 'Category for Protocol Deviation', 'text', 'Perm', 'Grouping Qualifier', {
			codelist: 'DVCAT'
		}),
		v('DVSCAT', 'Subcategory for Protocol Deviation', 'text', 'Perm', 'Grouping Qualifier', {
			origin: derived(
				'IMPORTANT when the investigator marked the deviation important (ICH E3 Q&A R1 ' +
					"Q7: may significantly affect key data or a subject's rights, safety or " +
					'well-being), else NOT IMPORTANT.'
			),
			codelist: 'DVSCAT'
		}),
		...visitVariables,
		v('DVSTDTC', 'Start Date/Time of Deviation', 'datetime', 'Exp', 'Timing', {
			origin: derived(
				'When it happened: the date-time (UTC) recorded, or the visit date for a visit ' +
					'done outside its window or out of order.'
			)
		}),
		studyDayVariable('DVSTDY', 'Study Day of Start of Deviation', 'DVSTDTC')
	]
} as const satisfies DatasetSpec;

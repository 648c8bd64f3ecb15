// Variables several datasets share: identifiers (SDTMIG §2.2.4), visits and study days.
import { assigned, derived, variable } from './spec';

export const STUDY_DAY_METHOD = (dtc: string) =>
	`Study day of ${dtc}: date of ${dtc} − date of DM.RFSTDTC + 1 on or after RFSTDTC, ` +
	`else date of ${dtc} − date of DM.RFSTDTC (no day 0); dates as written (UTC).`;

/** STUDYID, DOMAIN, USUBJID: first in every dataset; SUBJID and SITEID are in DM only. */
export const identifierVariables = [
	variable('STUDYID', 'Study Identifier', 'text', 'Req', 'Identifier', { origin: assigned }),
	variable('DOMAIN', 'Domain Abbreviation', 'text', 'Req', 'Identifier', { origin: assigned }),
	variable('USUBJID', 'Unique Subject Identifier', 'text', 'Req', 'Identifier', {
		origin: derived('STUDYID, a dash and the subject code (SUBJID): unique in the submission.')
	})
] as const;

export const UNPLANNED_VISITNUM =
	"The visit's order in the protocol's schedule. A dosing session recorded without a planned " +
	'visit is an unplanned visit: the number of the last planned visit on or before its day plus ' +
	'the session number in hundredths (session 2 after visit 5: 5.02).';

export const sequenceVariable = <N extends string>(name: N) =>
	variable(name, 'Sequence Number', 'integer', 'Req', 'Identifier', {
		origin: derived('1, 2, 3 … within each subject, in the order the records are written.')
	});

export const visitVariables = [
	variable('VISITNUM', 'Visit Number', 'float', 'Exp', 'Timing', {
		origin: derived(UNPLANNED_VISITNUM)
	}),
	variable('VISIT', 'Visit Name', 'text', 'Perm', 'Timing', {
		origin: derived(
			"The protocol's label for the visit; UNSCHEDULED and VISITNUM for an unplanned one."
		)
	})
] as const;

export const studyDayVariable = <N extends string>(name: N, label: string, dtc: string) =>
	variable(name, label, 'integer', 'Perm', 'Timing', { origin: derived(STUDY_DAY_METHOD(dtc)) });

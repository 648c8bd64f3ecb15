// Derived SDTM values, computed the same way for every domain: study days, age, arms, recall
// periods. Pure: the callers pass in what the records say.
import type { ScaleId } from '../scales';
import { ARM_NULL_REASONS } from './codelists';

const DAY_MS = 86_400_000;

const dayNumber = (dtc: string) => Date.parse(`${dtc.slice(0, 10)}T00:00:00Z`) / DAY_MS;

/**
 * SDTMIG §4.4.4 --DY: the date's study day counted from RFSTDTC's date, which is day 1; the day
 * before is −1 (there is no day 0). Null when either date is missing or not a full date. Both are
 * read from the date part of the ISO 8601 values as written (UTC), so anyone can recompute them.
 */
export function studyDay(dtc: string | null | undefined, rfstdtc: string | null | undefined) {
	if (!dtc || !rfstdtc || !/^\d{4}-\d{2}-\d{2}/.test(dtc) || !/^\d{4}-\d{2}-\d{2}/.test(rfstdtc)) {
		return null;
	}
	const diff = dayNumber(dtc) - dayNumber(rfstdtc);
	if (Number.isNaN(diff)) return null;
	return diff >= 0 ? diff + 1 : diff;
}

/**
 * DM.AGE in whole years at the reference date. Only the year of birth is collected (BRTHDTC is a
 * year), so age is the difference of the years: it may be one more than the exact age until the
 * birthday, a known limit stated in define.xml.
 */
export function ageInYears(birthYear: number, referenceDate: string | null | undefined) {
	if (!referenceDate || !/^\d{4}/.test(referenceDate)) return null;
	return Number(referenceDate.slice(0, 4)) - birthYear;
}

export interface Arms {
	ARMCD: string | null;
	ARM: string | null;
	ACTARMCD: string | null;
	ACTARM: string | null;
	ARMNRS: string | null;
	/** Description of Unplanned Actual Arm: set exactly when ARMNRS is UNPLANNED TREATMENT. */
	ACTARMUD: string | null;
}

/** The initial dose of a dose group labelled as the protocol does ("120 mg" → 120). */
export function doseOfGroup(group: string): number | null {
	const m = /^\s*(\d+(?:\.\d+)?)\s*mg\s*$/i.exec(group);
	return m ? Number(m[1]) : null;
}

/**
 * The actual arm of an open-label participant from the initial doses given: the dose group of that
 * dose when every session gave the same one, else unplanned (ARMNRS UNPLANNED TREATMENT, ACTARMUD
 * says what was given), SDTMIG 3.4 DM.
 */
function actualArm(
	doses: { min: number; max: number },
	groups: readonly string[]
): Pick<Arms, 'ACTARMCD' | 'ACTARM' | 'ARMNRS' | 'ACTARMUD'> {
	const group = doses.min === doses.max && groups.find((g) => doseOfGroup(g) === doses.min);
	if (group) return { ACTARMCD: armCode(group), ACTARM: group, ARMNRS: null, ACTARMUD: null };
	const given =
		doses.min === doses.max
			? `Initial dose ${doses.min} mg, which no dose group plans`
			: `Initial doses from ${doses.min} mg to ${doses.max} mg across sessions`;
	return {
		ACTARMCD: null,
		ACTARM: null,
		ARMNRS: ARM_NULL_REASONS.unplanned,
		ACTARMUD: given
	};
}

/**
 * SDTMIG 3.4 SV: a visit off the schedule is unplanned, numbered with a decimal after the planned
 * visit before it. A dosing session recorded without a planned visit is one: its VISITNUM is that
 * visit's number plus the session number in hundredths (session 2 after visit 5 → 5.02), unique
 * per subject since sessions are numbered per subject (fewer than 100 of them).
 */
export function unplannedVisit(plannedBefore: number | null, sessionNumber: number) {
	const n = Math.round(((plannedBefore ?? 0) + Math.min(sessionNumber, 99) / 100) * 100) / 100;
	return { VISITNUM: n, VISIT: `UNSCHEDULED ${n.toFixed(2)}` };
}

/** ARMCD: ≤ 20 characters, letters, digits and underscore ("120 mg" → "120MG"). */
export const armCode = (arm: string) =>
	arm
		.toUpperCase()
		.replace(/[^A-Z0-9]+/g, '')
		.slice(0, 20) || 'ARM';

/**
 * A randomised study's allocation for one participant: not randomised (null), randomised with
 * the arm this export may carry, or randomised while the arm is concealed from this export.
 */
export type Allocation = null | { arm: { code: string; label: string } } | { concealed: true };

/**
 * DM planned and actual arm, SDTMIG 3.4. In an open-label study the planned arm is the dose
 * group; in a randomised study it is the allocated arm, written only when the export may carry
 * it (an unblinded reader, or the study locked): while concealed, ARMCD … ACTARM and ARMNRS stay
 * null, since no CT reason says "blinded" and any value would hint at the arm. The actual arm is
 * the planned one once a dose was given (open label: the dose group of the initial doses given,
 * or unplanned). When either is null otherwise, ARMNRS (CT C142179) says why.
 */
export function armsOf(p: {
	status: string;
	doseGroup: string;
	enrolled: boolean;
	dosed: boolean;
	/** undefined: an open-label study (the dose group is the arm). */
	allocation?: Allocation;
	/** Open label: the lowest and highest initial dose given, and the protocol's dose groups. */
	given?: { doses: { min: number; max: number } | null; doseGroups: readonly string[] };
}): Arms {
	const none = { ARMCD: null, ARM: null, ACTARMCD: null, ACTARM: null, ACTARMUD: null };
	if (p.allocation && 'concealed' in p.allocation) return { ...none, ARMNRS: null };
	if (!p.enrolled || p.allocation === null) {
		const reason =
			p.status === 'withdrawn' ? ARM_NULL_REASONS.screenFailure : ARM_NULL_REASONS.notAssigned;
		return { ...none, ARMNRS: reason };
	}
	const planned = p.allocation
		? { ARMCD: p.allocation.arm.code, ARM: p.allocation.arm.label }
		: { ARMCD: armCode(p.doseGroup), ARM: p.doseGroup };
	if (!p.dosed) {
		return { ...none, ...planned, ARMNRS: ARM_NULL_REASONS.notTreated };
	}
	if (p.allocation === undefined && p.given?.doses) {
		return { ...planned, ...actualArm(p.given.doses, p.given.doseGroups) };
	}
	return { ...planned, ACTARMCD: planned.ARMCD, ACTARM: planned.ARM, ARMNRS: null, ACTARMUD: null };
}

/**
 * QSEVLINT, the period each instrument asks about, as an ISO 8601 duration back from the
 * administration: MADRS and HAM-D rate the past week, PHQ-9 the last 2 weeks, QIDS-SR16 the last
 * 7 days, BDI-II the past 2 weeks (DOMAIN.md §2, DOMAIN-2.md §5; each instrument's instructions).
 * The C-SSRS baseline form asks about lifetime and a recent period set by the protocol: none here.
 */
export const EVALUATION_INTERVALS: Record<ScaleId, string | null> = {
	MADRS: '-P1W',
	HAMD17: '-P1W',
	PHQ9: '-P2W',
	QIDSSR16: '-P7D',
	BDI2: '-P2W',
	CSSRS: null
};

/** QSCAT, CDISC CT C100129, for each instrument. */
export const QS_CATEGORIES: Record<ScaleId, string> = {
	MADRS: 'MADRS',
	HAMD17: 'HAMD 17',
	PHQ9: 'PHQ-9',
	QIDSSR16: 'QIDS-SR16',
	BDI2: 'BDI-II',
	CSSRS: 'C-SSRS BASELINE'
};

/** TV.TVSTRL: "7 days after visit PREP2 (window 3 days before to 3 days after)". */
export function visitStartRule(visit: {
	anchor: 'enrolment' | 'last-dosing' | { visit: string };
	offsetDays: number;
	window: { minusDays: number; plusDays: number };
}): string {
	const from =
		visit.anchor === 'enrolment'
			? 'enrolment'
			: visit.anchor === 'last-dosing'
				? 'the last dosing session'
				: `visit ${visit.anchor.visit}`;
	const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;
	const when =
		visit.offsetDays === 0
			? `On the day of ${from}`
			: visit.offsetDays > 0
				? `${days(visit.offsetDays)} after ${from}`
				: `${days(-visit.offsetDays)} before ${from}`;
	const { minusDays, plusDays } = visit.window;
	const window =
		minusDays === 0 && plusDays === 0
			? 'no window'
			: `window ${days(minusDays)} before to ${days(plusDays)} after`;
	return `${when} (${window})`;
}

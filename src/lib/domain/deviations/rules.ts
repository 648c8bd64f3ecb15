// Deviations found by rule, as pure functions of the schedule and what happened. Each returns
// what a person is asked to confirm: category, description and importance (DOMAIN-2.md §7).
import { dayNumber, type IsoDate } from '../protocol/dates';
import { DEVIATION_RULES, importantByDefault, type DeviationCategory } from './categories';
import type { DeviationRuleId } from './categories';

export interface DetectedDeviation {
	ruleId: DeviationRuleId;
	category: DeviationCategory;
	description: string;
	important: boolean;
}

function detected(
	ruleId: DeviationRuleId,
	category: DeviationCategory,
	description: string
): DetectedDeviation {
	return { ruleId, category, description, important: importantByDefault(category) };
}

/** A visit of the participant's schedule, in protocol order. */
export interface ScheduledVisitState {
	code: string;
	label: string;
	kind: string;
	/** Position in the protocol's visit order (1 for the first). */
	sequence: number;
	windowStart: IsoDate | null;
	windowEnd: IsoDate | null;
	/** scheduled (still open), completed, missed or cancelled. */
	status: string;
}

/** Dosing outside its window is an IP/DOSING departure; any other visit's is VISIT WINDOW. */
function categoryOf(visit: ScheduledVisitState): DeviationCategory {
	return visit.kind === 'dosing' ? 'IP/DOSING' : 'VISIT WINDOW';
}

/** Day difference text: "3 days before the window opened (2027-01-11)". */
function plural(n: number, word: string): string {
	return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * The visit takes place on `on` (a site calendar day). Inside the window (both ends included) is
 * no deviation; a visit without a window (unscheduled) has none either.
 */
export function visitWindowDeviation(
	visit: ScheduledVisitState,
	on: IsoDate
): DetectedDeviation | null {
	if (!visit.windowStart || !visit.windowEnd) return null;
	const day = dayNumber(on);
	const start = dayNumber(visit.windowStart);
	const end = dayNumber(visit.windowEnd);
	if (day >= start && day <= end) return null;
	const where =
		day < start
			? `${plural(start - day, 'day')} before its window opened (${visit.windowStart})`
			: `${plural(day - end, 'day')} after its window closed (${visit.windowEnd})`;
	return detected(
		DEVIATION_RULES.visitOutsideWindow,
		categoryOf(visit),
		`${visit.label} (${visit.code}) on ${on}, ${where}; window ${visit.windowStart} to ${visit.windowEnd}.`
	);
}

/**
 * The visit takes place while an earlier visit of the protocol's order is still open (neither
 * done, missed nor cancelled): out of order. A missed earlier visit is its own record, not this.
 */
export function visitOrderDeviation(
	visit: ScheduledVisitState,
	schedule: readonly ScheduledVisitState[]
): DetectedDeviation | null {
	const open = schedule.filter((v) => v.sequence < visit.sequence && v.status === 'scheduled');
	if (open.length === 0) return null;
	const names = open.map((v) => `${v.label} (${v.code})`).join(', ');
	return detected(
		DEVIATION_RULES.visitOutOfOrder,
		categoryOf(visit),
		`${visit.label} (${visit.code}) took place before ${names}, which the protocol puts first.`
	);
}

/** Both visit rules for a visit about to take place on `on`. */
export function visitDeviations(
	visit: ScheduledVisitState,
	schedule: readonly ScheduledVisitState[],
	on: IsoDate
): DetectedDeviation[] {
	return [visitWindowDeviation(visit, on), visitOrderDeviation(visit, schedule)].filter(
		(d): d is DetectedDeviation => d !== null
	);
}

/** A scheduled in-session safety assessment (a vitals timepoint) recorded as not done. */
export function safetyAssessmentNotDone(
	sessionNumber: number,
	timepoint: string,
	reason: string
): DetectedDeviation {
	return detected(
		DEVIATION_RULES.safetyAssessmentNotDone,
		'SAFETY ASSESSMENT NOT DONE',
		`Dosing session ${sessionNumber}: vital signs at ${timepoint} not done (${reason}).`
	);
}

/** The supplemental dose was given although a reading said hold it (DOMAIN.md §1 action level). */
export function supplementalAgainstHold(
	sessionNumber: number,
	holds: readonly string[],
	overrideReason: string
): DetectedDeviation {
	return detected(
		DEVIATION_RULES.supplementalAgainstHold,
		'IP/DOSING',
		`Dosing session ${sessionNumber}: supplemental dose given against a hold (${holds.join(' ')}) ` +
			`Reason given: ${overrideReason}`
	);
}

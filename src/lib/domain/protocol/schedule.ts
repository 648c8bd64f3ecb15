import { addDays, dayNumber, daysBetween } from './dates';
import type { IsoDate } from './dates';
import type { Protocol } from './schema';
import type { Visit, VisitAnchor } from './schema-visits';
import type { VisitKind } from './codes';

export interface ScheduledVisit {
	code: string;
	label: string;
	kind: VisitKind;
	anchor: VisitAnchor;
	/** The day the offset counts from: enrolment, or the anchor visit's actual (else planned) date. */
	anchorDate: IsoDate;
	planned: IsoDate;
	windowStart: IsoDate;
	windowEnd: IsoDate;
	/** When the visit took place, if it has. */
	actual: IsoDate | null;
}

export interface ScheduleOptions {
	/** The dosing visit that turned out to be the last, when dosing stopped early. */
	lastDosingVisit?: string;
}

export type ActualVisitDates = Readonly<Record<string, IsoDate | null | undefined>>;

function lastDosingCode(visits: Visit[], options: ScheduleOptions): string | undefined {
	if (options.lastDosingVisit === undefined) {
		return visits.findLast((v) => v.kind === 'dosing')?.code;
	}
	const chosen = visits.find((v) => v.code === options.lastDosingVisit);
	if (chosen?.kind !== 'dosing') {
		throw new RangeError(`${options.lastDosingVisit} is not a dosing visit of this protocol.`);
	}
	return chosen.code;
}

function checkActualDates(visits: Visit[], actualDates: ActualVisitDates): void {
	for (const [code, date] of Object.entries(actualDates)) {
		if (!visits.some((v) => v.code === code)) throw new RangeError(`No visit has code ${code}.`);
		if (date) dayNumber(date);
	}
}

/**
 * Planned date and window of every visit, in protocol order. A visit counts from its anchor's
 * actual date once that is known, so passing actual dates reschedules everything after them.
 * Dates are 'YYYY-MM-DD'; the arithmetic is in whole UTC days.
 */
export function scheduleVisits(
	protocol: Pick<Protocol, 'visits'>,
	enrolmentDate: IsoDate,
	actualDates: ActualVisitDates = {},
	options: ScheduleOptions = {}
): ScheduledVisit[] {
	dayNumber(enrolmentDate);
	checkActualDates(protocol.visits, actualDates);
	const lastDosing = lastDosingCode(protocol.visits, options);
	const dateOf = new Map<string, IsoDate>();
	return protocol.visits.map((visit) => {
		const anchorCode =
			visit.anchor === 'enrolment'
				? undefined
				: visit.anchor === 'last-dosing'
					? lastDosing
					: visit.anchor.visit;
		const anchorDate = anchorCode === undefined ? enrolmentDate : dateOf.get(anchorCode);
		if (anchorDate === undefined) {
			throw new RangeError(`Visit ${visit.code} is anchored to a visit scheduled after it.`);
		}
		const planned = addDays(anchorDate, visit.offsetDays);
		const actual = actualDates[visit.code] ?? null;
		dateOf.set(visit.code, actual ?? planned);
		return {
			code: visit.code,
			label: visit.label,
			kind: visit.kind,
			anchor: visit.anchor,
			anchorDate,
			planned,
			windowStart: addDays(planned, -visit.window.minusDays),
			windowEnd: addDays(planned, visit.window.plusDays),
			actual
		};
	});
}

export const VISIT_STATUSES = ['scheduled', 'completed', 'missed', 'cancelled'] as const;
export type VisitStatus = (typeof VISIT_STATUSES)[number];
export type VisitStatuses = Readonly<Record<string, VisitStatus | undefined>>;

/** Still to be done: not completed, missed or cancelled, and with no actual date. */
function isOpen(visit: ScheduledVisit, statuses: VisitStatuses): boolean {
	const status = statuses[visit.code] ?? 'scheduled';
	return visit.actual === null && status === 'scheduled';
}

export interface OverdueVisit {
	visit: ScheduledVisit;
	/** Days since the window closed (1 the day after the last day of the window). */
	daysOverdue: number;
}

/** Open visits whose window closed before `today`, the longest overdue first. */
export function overdueVisits(
	schedule: readonly ScheduledVisit[],
	statuses: VisitStatuses,
	today: IsoDate
): OverdueVisit[] {
	return schedule
		.filter((visit) => isOpen(visit, statuses))
		.map((visit) => ({ visit, daysOverdue: daysBetween(visit.windowEnd, today) }))
		.filter((o) => o.daysOverdue > 0)
		.sort((a, b) => b.daysOverdue - a.daysOverdue);
}

/** Open visits whose window includes `today`. */
export function visitsInWindow(
	schedule: readonly ScheduledVisit[],
	statuses: VisitStatuses,
	today: IsoDate
): ScheduledVisit[] {
	const day = dayNumber(today);
	return schedule.filter(
		(v) => isOpen(v, statuses) && dayNumber(v.windowStart) <= day && day <= dayNumber(v.windowEnd)
	);
}

// Simulated time at a site: local clock times on calendar days, turned into instants (ms since the
// epoch). The demo works in instants; the services get ISO strings with Z.
import { siteDate, wallClockToInstant } from '../../domain/time';
import { addDays, dayNumber, type IsoDate } from '../../domain/protocol';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** The instant of a local clock time (minutes after midnight) on a day at the site. */
export function localMoment(day: IsoDate, minuteOfDay: number, timeZone: string): number {
	const wall = dayNumber(day) * 86_400_000 + Math.round(minuteOfDay) * MINUTE;
	// A time in a spring-forward gap does not exist there; an hour later does.
	const resolved = wallClockToInstant(wall, timeZone) ?? wallClockToInstant(wall + HOUR, timeZone);
	if (!resolved) throw new RangeError(`No local time ${day} +${minuteOfDay} min in ${timeZone}`);
	return resolved.instant;
}

/** The calendar day at the site at an instant. */
export function localDay(instant: number, timeZone: string): IsoDate {
	return siteDate(new Date(instant), timeZone);
}

/**
 * An event time as a person types it: to the minute, rounded down, so it is never later than the
 * simulated moment it is entered at.
 */
export const iso = (instant: number): string =>
	new Date(Math.floor(instant / MINUTE) * MINUTE).toISOString();

/** Saturday or Sunday (day 0 of the epoch was a Thursday). */
export function isWeekend(day: IsoDate): boolean {
	const weekday = (dayNumber(day) + 4) % 7; // 0 = Sunday
	return weekday === 0 || weekday === 6;
}

/** The same day, or the Friday before when it falls on a weekend (clinics see people on weekdays). */
export function weekdayOnOrBefore(day: IsoDate): IsoDate {
	let d = day;
	while (isWeekend(d)) d = addDays(d, -1);
	return d;
}

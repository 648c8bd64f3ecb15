// Instants shown as a site reads them (server time is UTC; people read local time). Every shape's
// formatter is built once per zone (see zone.ts).
import { cachedFormat, wallClockAt } from './zone';

type When = string | Date | null | undefined;

const pad = (n: number) => String(n).padStart(2, '0');

/** The calendar date (YYYY-MM-DD) at the site at this instant. */
export function siteDate(instant: Date | number, timeZone: string): string {
	const w = wallClockAt(instant, timeZone);
	return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

/** 'YYYY-MM-DDTHH:mm' in the zone: the value of a datetime-local input. */
export function toLocalInput(iso: When, timeZone: string): string {
	if (!iso) return '';
	// One reading of the wall clock for the date and the time (a board formats hundreds).
	const w = wallClockAt(new Date(iso), timeZone);
	return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/** As toLocalInput, with seconds when there are some (a prefilled value must not lose them). */
export function toLocalInputWithSeconds(iso: string | Date, timeZone: string): string {
	const second = wallClockAt(new Date(iso), timeZone).second;
	return toLocalInput(iso, timeZone) + (second === 0 ? '' : `:${pad(second)}`);
}

/** 'HH:mm' in the zone. */
export function toLocalClock(iso: When, timeZone: string): string {
	if (!iso) return '';
	const w = wallClockAt(new Date(iso), timeZone);
	return `${pad(w.hour)}:${pad(w.minute)}`;
}

/** 'YYYY-MM-DD HH:mm' in the zone, for reading. */
export function formatLocal(iso: When, timeZone: string): string {
	if (!iso) return '—';
	return toLocalInput(iso, timeZone).replace('T', ' ');
}

const DAY_AND_TIME = { dateStyle: 'medium', timeStyle: 'short' } as const;

/** '20 Nov 2026, 10:00' at the site. */
export function formatDayAndTime(iso: string | Date, timeZone: string): string {
	return cachedFormat('en-GB', timeZone, DAY_AND_TIME).format(new Date(iso));
}

/** An instant as read at the site, with the zone named: '20 Nov 2026, 10:00 (Europe/Oslo)'. */
export function formatAtSite(iso: string | Date, timeZone: string): string {
	return `${formatDayAndTime(iso, timeZone)} (${timeZone})`;
}

/** A short zone name for labels, e.g. 'CET' or 'GMT-8'. */
export function zoneAbbreviation(timeZone: string, at: Date = new Date()): string {
	return (
		cachedFormat('en-GB', timeZone, { timeZoneName: 'short' })
			.formatToParts(at)
			.find((p) => p.type === 'timeZoneName')?.value ?? timeZone
	);
}

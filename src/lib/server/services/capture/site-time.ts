// "Today" and local clock times at a site: server time is UTC, shown in the site's time zone.

/** The calendar date (YYYY-MM-DD) at the site at this instant. */
export function siteToday(timeZone: string, now: Date): string {
	const parts = new Intl.DateTimeFormat('en-CA', {
		timeZone,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit'
	}).formatToParts(now);
	const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
	return `${get('year')}-${get('month')}-${get('day')}`;
}

/**
 * How far in the future an entered time may be: a ward clock or a phone a few minutes ahead of the
 * server should not block a bedside entry, but a wrong day or hour should. [D] Vigil default.
 */
export const CLOCK_SKEW_MS = 5 * 60_000;

/** True when an entered time is later than the server's clock allows. */
export function isInFuture(at: Date | number, now: Date): boolean {
	return (typeof at === 'number' ? at : at.getTime()) > now.getTime() + CLOCK_SKEW_MS;
}

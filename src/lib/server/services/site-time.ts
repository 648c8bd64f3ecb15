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

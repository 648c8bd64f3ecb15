// Showing instants in a site's time zone (server time is UTC; people read local time).

function parts(instant: Date, timeZone: string): Record<string, string> {
	const out: Record<string, string> = {};
	for (const p of new Intl.DateTimeFormat('en-CA', {
		timeZone,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		hourCycle: 'h23'
	}).formatToParts(instant)) {
		out[p.type] = p.value;
	}
	return out;
}

/** 'YYYY-MM-DDTHH:mm' in the zone: the value of a datetime-local input. */
export function toLocalInput(iso: string | Date | null | undefined, timeZone: string): string {
	if (!iso) return '';
	const p = parts(new Date(iso), timeZone);
	return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/** 'HH:mm' in the zone. */
export function toLocalClock(iso: string | Date | null | undefined, timeZone: string): string {
	if (!iso) return '';
	const p = parts(new Date(iso), timeZone);
	return `${p.hour}:${p.minute}`;
}

/** 'YYYY-MM-DD HH:mm' in the zone, for reading. */
export function formatLocal(iso: string | Date | null | undefined, timeZone: string): string {
	if (!iso) return '—';
	return toLocalInput(iso, timeZone).replace('T', ' ');
}

/** A short zone name for labels, e.g. 'CET' or 'GMT-8'. */
export function zoneAbbreviation(timeZone: string, at: Date = new Date()): string {
	return (
		new Intl.DateTimeFormat('en-GB', { timeZone, timeZoneName: 'short' })
			.formatToParts(at)
			.find((p) => p.type === 'timeZoneName')?.value ?? timeZone
	);
}

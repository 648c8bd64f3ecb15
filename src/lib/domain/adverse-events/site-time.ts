/**
 * Reading date-times typed at a site. An ISO 8601 string with an offset or Z names an instant; a
 * datetime-local value ('YYYY-MM-DDTHH:mm', optional seconds) is wall-clock time in the site's
 * IANA zone and is converted with Intl, so daylight-saving rules come from the platform's tz data.
 */

export type SiteTimeResult =
	| { ok: true; instant: Date; ambiguous: boolean }
	| { ok: false; reason: 'format' | 'calendar' | 'no-time-zone' | 'nonexistent' };

const isoWithOffset =
	/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})$/i;
const wallClock = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

interface Fields {
	year: number;
	month: number;
	day: number;
	hour: number;
	minute: number;
	second: number;
	ms: number;
}

function fieldsOf(match: RegExpExecArray): Fields {
	const n = (i: number) => Number(match[i] ?? '0');
	const ms = Number((match[7] ?? '').padEnd(3, '0'));
	return { year: n(1), month: n(2), day: n(3), hour: n(4), minute: n(5), second: n(6), ms };
}

/** Wall-clock fields read as if UTC; NaN when a field is out of range (Feb 30, 24:00, …). */
function utcOf(f: Fields): number {
	const t = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second, f.ms);
	const d = new Date(t);
	const sameFields =
		d.getUTCFullYear() === f.year &&
		d.getUTCMonth() === f.month - 1 &&
		d.getUTCDate() === f.day &&
		d.getUTCHours() === f.hour &&
		d.getUTCMinutes() === f.minute &&
		d.getUTCSeconds() === f.second;
	return sameFields ? t : NaN;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
	let formatter = formatters.get(timeZone);
	if (!formatter) {
		formatter = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: 'numeric',
			day: 'numeric',
			hour: 'numeric',
			minute: 'numeric',
			second: 'numeric'
		});
		formatters.set(timeZone, formatter);
	}
	return formatter;
}

/** The zone's offset from UTC at an instant, in ms (Oslo in summer: +7 200 000). */
export function zoneOffsetMs(instant: number, timeZone: string): number {
	const parts: Record<string, number> = {};
	for (const part of formatterFor(timeZone).formatToParts(new Date(instant))) {
		parts[part.type] = Number(part.value);
	}
	const wall = Date.UTC(
		parts['year'] ?? 0,
		(parts['month'] ?? 1) - 1,
		parts['day'] ?? 1,
		parts['hour'] ?? 0,
		parts['minute'] ?? 0,
		parts['second'] ?? 0
	);
	return wall - (instant - (((instant % 1000) + 1000) % 1000));
}

/**
 * The instant a wall-clock time names in a zone. Offsets a day either side bracket any single
 * transition; each candidate that reads back as the same wall-clock time is valid. None: the time
 * falls in a spring-forward gap. Two: it falls in a fall-back overlap, and the earlier instant is
 * taken (as Temporal's 'compatible' disambiguation does) and flagged ambiguous.
 */
export function wallClockToInstant(
	wallAsUtc: number,
	timeZone: string
): { instant: number; ambiguous: boolean } | null {
	const offsets = new Set([
		zoneOffsetMs(wallAsUtc - 86_400_000, timeZone),
		zoneOffsetMs(wallAsUtc + 86_400_000, timeZone)
	]);
	const valid = [...offsets]
		.map((offset) => wallAsUtc - offset)
		.filter((candidate) => candidate + zoneOffsetMs(candidate, timeZone) === wallAsUtc)
		.sort((a, b) => a - b);
	const first = valid[0];
	return first === undefined ? null : { instant: first, ambiguous: valid.length > 1 };
}

/** 'Z' → 0; '+02:00' → 7 200 000; null when hours or minutes are out of range. */
function offsetMsOf(offset: string): number | null {
	if (offset.toUpperCase() === 'Z') return 0;
	const hours = Number(offset.slice(1, 3));
	const minutes = Number(offset.slice(4, 6));
	if (hours > 23 || minutes > 59) return null;
	return (offset.startsWith('-') ? -1 : 1) * (hours * 60 + minutes) * 60_000;
}

/** Parse a site date-time: ISO with offset or Z, or wall-clock time in `timeZone`. */
export function parseSiteDateTime(text: string, timeZone?: string): SiteTimeResult {
	const value = text.trim();
	const withOffset = isoWithOffset.exec(value);
	if (withOffset) {
		const wall = utcOf(fieldsOf(withOffset));
		if (Number.isNaN(wall)) return { ok: false, reason: 'calendar' };
		const offsetMs = offsetMsOf(withOffset[8] ?? 'Z');
		if (offsetMs === null) return { ok: false, reason: 'format' };
		return { ok: true, instant: new Date(wall - offsetMs), ambiguous: false };
	}
	const local = wallClock.exec(value);
	if (!local) return { ok: false, reason: 'format' };
	const wall = utcOf(fieldsOf(local));
	if (Number.isNaN(wall)) return { ok: false, reason: 'calendar' };
	if (!timeZone) return { ok: false, reason: 'no-time-zone' };
	const resolved = wallClockToInstant(wall, timeZone);
	if (!resolved) return { ok: false, reason: 'nonexistent' };
	return { ok: true, instant: new Date(resolved.instant), ambiguous: resolved.ambiguous };
}

/**
 * A site's IANA time zone, read through Intl (the platform's tz data, so daylight saving is right).
 * Building an Intl.DateTimeFormat is far dearer than using one (a board of a few hundred flags
 * spent a quarter of its time building them), so each shape is built once per zone and kept.
 */

export interface WallClock {
	year: number;
	month: number;
	day: number;
	hour: number;
	minute: number;
	second: number;
}

const cache = new Map<string, Intl.DateTimeFormat>();

/** One formatter per locale, zone and shape, made on first use. */
export function cachedFormat(
	locale: string,
	timeZone: string,
	options: Intl.DateTimeFormatOptions
): Intl.DateTimeFormat {
	const key = `${locale}|${timeZone}|${JSON.stringify(options)}`;
	let format = cache.get(key);
	if (!format) {
		format = new Intl.DateTimeFormat(locale, { ...options, timeZone });
		cache.set(key, format);
	}
	return format;
}

const NUMERIC = {
	hourCycle: 'h23',
	year: 'numeric',
	month: 'numeric',
	day: 'numeric',
	hour: 'numeric',
	minute: 'numeric',
	second: 'numeric'
} as const;

/** The numeric shape's formatter of each zone, found without building the general cache's key. */
const numeric = new Map<string, Intl.DateTimeFormat>();

function numericFormat(timeZone: string): Intl.DateTimeFormat {
	let format = numeric.get(timeZone);
	if (!format) {
		format = cachedFormat('en-US', timeZone, NUMERIC);
		numeric.set(timeZone, format);
	}
	return format;
}

/** The wall clock as Intl reads it (about 15 µs, the dearest step of showing a time). */
function readWallClock(format: Intl.DateTimeFormat, instant: Date | number): WallClock {
	const out: Record<string, number> = {};
	for (const part of format.formatToParts(instant)) {
		out[part.type] = Number(part.value);
	}
	return {
		year: out.year ?? 0,
		month: out.month ?? 1,
		day: out.day ?? 1,
		hour: out.hour ?? 0,
		minute: out.minute ?? 0,
		second: out.second ?? 0
	};
}

const HOUR = 3_600_000;
/** Instants the steady-offset shortcut covers (1900 to 2200); others are read from Intl. */
const SHORTCUT_FROM = Date.UTC(1900, 0, 1);
const SHORTCUT_TO = Date.UTC(2200, 0, 1);
/** Per zone, the offset over each UTC hour read so far, or null where it changes within the hour. */
const steady = new Map<string, Map<number, number | null>>();
const STEADY_KEPT = 50_000;

/** Wall clock minus the instant (whole seconds, as tz offsets are), read from Intl. */
function offsetRead(format: Intl.DateTimeFormat, instant: number): number {
	const w = readWallClock(format, instant);
	const wall = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
	return wall - (instant - (((instant % 1000) + 1000) % 1000));
}

/**
 * The zone's offset over the UTC hour holding this instant, when it is the same at the hour's
 * first and last millisecond. No zone changes its offset twice within an hour, so equal ends mean
 * no change inside; an hour with a change gets null and
 * its instants are read from Intl one by one. Two Intl readings per hour and zone, then a lookup:
 * a board showing a hundred times of a few hours pays a few readings instead of a hundred.
 */
function steadyOffset(format: Intl.DateTimeFormat, timeZone: string, hour: number): number | null {
	let hours = steady.get(timeZone);
	if (!hours) steady.set(timeZone, (hours = new Map()));
	let offset = hours.get(hour);
	if (offset === undefined) {
		const first = offsetRead(format, hour * HOUR);
		offset = first === offsetRead(format, (hour + 1) * HOUR - 1) ? first : null;
		if (hours.size >= STEADY_KEPT) hours.clear();
		hours.set(hour, offset);
	}
	return offset;
}

/** The wall clock at the site at an instant. */
export function wallClockAt(instant: Date | number, timeZone: string): WallClock {
	const format = numericFormat(timeZone);
	const t = typeof instant === 'number' ? instant : instant.getTime();
	// NaN and far dates go to Intl, which refuses or reads them as it always has.
	if (!(t >= SHORTCUT_FROM && t < SHORTCUT_TO)) return readWallClock(format, instant);
	const offset = steadyOffset(format, timeZone, Math.floor(t / HOUR));
	if (offset === null) return readWallClock(format, t);
	const wall = new Date(t + offset);
	return {
		year: wall.getUTCFullYear(),
		month: wall.getUTCMonth() + 1,
		day: wall.getUTCDate(),
		hour: wall.getUTCHours(),
		minute: wall.getUTCMinutes(),
		second: wall.getUTCSeconds()
	};
}

/** The zone's offset from UTC at an instant, in ms (Oslo in summer: +7 200 000). */
export function zoneOffsetMs(instant: number, timeZone: string): number {
	const w = wallClockAt(instant, timeZone);
	const wall = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
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

/** Throws RangeError when the platform does not know the zone. */
export function assertTimeZone(timeZone: string): void {
	cachedFormat('en', timeZone, {});
}

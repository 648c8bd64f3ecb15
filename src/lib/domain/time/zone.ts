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

/** The wall clock at the site at an instant. */
export function wallClockAt(instant: Date | number, timeZone: string): WallClock {
	let format = numeric.get(timeZone);
	if (!format) {
		format = cachedFormat('en-US', timeZone, NUMERIC);
		numeric.set(timeZone, format);
	}
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

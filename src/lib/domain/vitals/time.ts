// Instants in a dosing session. Times arrive as Date objects or ISO 8601 strings with a zone
// (stored in UTC); both are accepted so callers need not convert first.

export type Instant = Date | string;

const MS_PER_MINUTE = 60_000;

/** Milliseconds since the epoch; throws on an unparseable time rather than computing with NaN. */
export function toMillis(at: Instant): number {
	const ms = typeof at === 'string' ? Date.parse(at) : at.getTime();
	if (Number.isNaN(ms)) throw new RangeError(`Not a valid time: ${String(at)}`);
	return ms;
}

/** Minutes from T0 (the initial dose) to `at`; negative before the dose, fractional if need be. */
/**
 * The instant as a Date, for code that reads it many times: a string is parsed here, once. An
 * unparseable string is returned as it is, so toMillis refuses it where it is read, as before.
 */
export function parsedOnce(at: Instant): Instant {
	if (typeof at !== 'string') return at;
	const ms = Date.parse(at);
	return Number.isNaN(ms) ? at : new Date(ms);
}

/** The readings with each time parsed once (parsedOnce); the same objects where already parsed. */
export function withTimesParsed<R extends { takenAt: Instant }>(readings: readonly R[]): R[] {
	return readings.map((r) =>
		typeof r.takenAt === 'string' ? { ...r, takenAt: parsedOnce(r.takenAt) } : r
	);
}

export function minutesFromT0(t0: Instant, at: Instant): number {
	return (toMillis(at) - toMillis(t0)) / MS_PER_MINUTE;
}

export function addMinutes(at: Instant, minutes: number): Date {
	return new Date(toMillis(at) + minutes * MS_PER_MINUTE);
}

/**
 * SDTM VSELTM, the planned elapsed time from the reference (the initial dose) as an ISO 8601
 * duration: 90 → "PT1H30M", −30 → "-PT30M", 0 → "PT0M", 60 → "PT1H". Fractions of a minute are
 * kept as whole seconds: 1.5 → "PT1M30S".
 */
export function vseltm(minutesFromReference: number): string {
	if (!Number.isFinite(minutesFromReference)) {
		throw new RangeError(`Not a number of minutes: ${minutesFromReference}`);
	}
	const totalSeconds = Math.round(Math.abs(minutesFromReference) * 60);
	if (totalSeconds === 0) return 'PT0M';
	const hours = Math.floor(totalSeconds / 3600);
	const minutes = Math.floor((totalSeconds % 3600) / 60);
	const seconds = totalSeconds % 60;
	const parts = [hours && `${hours}H`, minutes && `${minutes}M`, seconds && `${seconds}S`];
	const sign = minutesFromReference < 0 ? '-' : '';
	return `${sign}PT${parts.filter(Boolean).join('')}`;
}

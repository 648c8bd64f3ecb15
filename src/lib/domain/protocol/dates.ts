// Calendar dates as 'YYYY-MM-DD' strings. Visit dates are days, not instants, so all arithmetic is
// on whole UTC days: no time zone or daylight-saving shift can move a visit by a day.

export type IsoDate = string;

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 for a real calendar date, or undefined ('2025-02-29' is not one). */
function tryDayNumber(date: string): number | undefined {
	const match = ISO_DATE.exec(date);
	if (!match) return undefined;
	const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
	const ms = Date.UTC(year, month - 1, day);
	const back = new Date(ms);
	if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1) return undefined;
	if (back.getUTCDate() !== day) return undefined;
	return ms / MS_PER_DAY;
}

export function isIsoDate(value: unknown): value is IsoDate {
	return typeof value === 'string' && tryDayNumber(value) !== undefined;
}

/** Days since 1970-01-01; throws on anything but a real 'YYYY-MM-DD' date. */
export function dayNumber(date: IsoDate): number {
	const n = tryDayNumber(date);
	if (n === undefined) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${date}`);
	return n;
}

export function fromDayNumber(n: number): IsoDate {
	return new Date(n * MS_PER_DAY).toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, days: number): IsoDate {
	return fromDayNumber(dayNumber(date) + days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
	return dayNumber(to) - dayNumber(from);
}

// When a reading was measured (ALCOA+ "contemporaneous" and "accurate", DOMAIN.md §5): the time
// the user typed, or, left untouched, the moment it is saved; never the planned time. And how
// late a reading was against its planned time. Pure: the clock and the site's zone are passed in.
import { parseSiteDateTime, zoneOffsetMs } from '../time';
import { toMillis, type Instant } from './time';

const MINUTE = 60_000;
const DAY = 86_400_000;

export type MeasuredTime =
	{ ok: true; instant: Date; typed: boolean } | { ok: false; error: string };

/** Every instant a wall-clock time names on one local day: none in a gap, two in an overlap. */
function instantsOf(wallAsUtc: number, timeZone: string): number[] {
	const offsets = new Set([
		zoneOffsetMs(wallAsUtc - DAY, timeZone),
		zoneOffsetMs(wallAsUtc + DAY, timeZone)
	]);
	return [...offsets]
		.map((offset) => wallAsUtc - offset)
		.filter((t) => t + zoneOffsetMs(t, timeZone) === wallAsUtc)
		.sort((a, b) => a - b);
}

/** The site's calendar date at an instant, as UTC midnight of that date. */
function localMidnightAsUtc(at: number, timeZone: string): number {
	const wall = at + zoneOffsetMs(at, timeZone);
	return wall - (((wall % DAY) + DAY) % DAY);
}

/**
 * A clock time 'HH:mm' (or 'H.mm') typed at the site: of the instants with that local time on the
 * day before, of, and after `near`, the nearest to it — so a session running past midnight needs
 * no date. In a fall-back overlap the nearer of the two instants wins; a time that the clocks
 * skipped on `near`'s own day is refused rather than moved to another day.
 */
export function clockTimeNearInstant(text: string, timeZone: string, near: Instant): MeasuredTime {
	const m = /^(\d{1,2})[:.](\d{2})$/.exec(text.trim());
	const hour = Number(m?.[1]);
	const minute = Number(m?.[2]);
	if (!m || hour > 23 || minute > 59) {
		return { ok: false, error: 'Enter the time as HH:MM, such as 10:30.' };
	}
	const reference = toMillis(near);
	const today = localMidnightAsUtc(reference, timeZone);
	const wall = (hour * 60 + minute) * MINUTE;
	const candidates = [-DAY, 0, DAY].flatMap((shift) => instantsOf(today + shift + wall, timeZone));
	const best = candidates.sort((a, b) => Math.abs(a - reference) - Math.abs(b - reference))[0];
	if (
		best === undefined ||
		(instantsOf(today + wall, timeZone).length === 0 && Math.abs(best - reference) > DAY / 2)
	) {
		return {
			ok: false,
			error: 'This local time does not exist (the clocks went forward); check the time.'
		};
	}
	return { ok: true, instant: new Date(best), typed: true };
}

/**
 * The measured time of a reading: empty → `now` (the moment of saving); a full date-time (ISO
 * with offset, or local 'YYYY-MM-DD HH:mm') → that instant; a clock time → see
 * clockTimeNearInstant, read near `near` (the timepoint's planned time).
 */
export function measuredTime(
	typed: string | null | undefined,
	opts: { timeZone: string; near: Instant; now: Date }
): MeasuredTime {
	const text = (typed ?? '').trim();
	if (text === '') return { ok: true, instant: opts.now, typed: false };
	const full = parseSiteDateTime(text.replace(' ', 'T'), opts.timeZone);
	if (full.ok) return { ok: true, instant: full.instant, typed: true };
	if (full.reason === 'nonexistent') {
		return {
			ok: false,
			error: 'This local time does not exist (the clocks went forward); check the time.'
		};
	}
	return clockTimeNearInstant(text, opts.timeZone, opts.near);
}

export interface Lateness {
	/** Whole minutes from the planned time to the measured one; negative when early. */
	minutes: number;
	/** Within `toleranceMinutes` either side of the planned time. */
	onTime: boolean;
}

/**
 * How late a reading was. Instants, not wall clocks: across a DST change a reading planned at
 * 01:30 and taken at 03:10 the night the clocks went forward is 40 minutes late, not 100.
 */
export function readingLateness(
	plannedAt: Instant,
	measuredAt: Instant,
	toleranceMinutes: number
): Lateness {
	const minutes = Math.round((toMillis(measuredAt) - toMillis(plannedAt)) / MINUTE);
	return { minutes, onTime: Math.abs(minutes) <= toleranceMinutes };
}

/** "on time" (within a minute), "21 min late", "5 min early". */
export function latenessText(l: Lateness): string {
	if (Math.abs(l.minutes) <= 1) return 'on time';
	return l.minutes > 0 ? `${l.minutes} min late` : `${-l.minutes} min early`;
}

export interface OnTimeRate {
	onTime: number;
	total: number;
	/** onTime / total, null with no readings. */
	rate: number | null;
}

/** The share of scheduled readings measured within the tolerance of their planned time. */
export function onTimeRate(
	readings: ReadonlyArray<{ plannedAt: Instant; measuredAt: Instant }>,
	toleranceMinutes: number
): OnTimeRate {
	const onTime = readings.filter(
		(r) => readingLateness(r.plannedAt, r.measuredAt, toleranceMinutes).onTime
	).length;
	const total = readings.length;
	return { onTime, total, rate: total === 0 ? null : onTime / total };
}

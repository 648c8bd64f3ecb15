/**
 * Reading date-times typed at a site. An ISO 8601 string with an offset or Z names an instant; a
 * datetime-local value ('YYYY-MM-DDTHH:mm', optional seconds) is wall-clock time in the site's
 * IANA zone and is converted with Intl, so daylight-saving rules come from the platform's tz data.
 */
import { siteDate } from './format';
import { wallClockToInstant, type WallClock } from './zone';

export type SiteTimeResult =
	| { ok: true; instant: Date; ambiguous: boolean }
	| { ok: false; reason: 'format' | 'calendar' | 'no-time-zone' | 'nonexistent' };

const isoWithOffset =
	/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})$/i;
const wallClock = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

interface Fields extends WallClock {
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

const DAY_MS = 86_400_000;

/**
 * A clock time ('HH:mm') typed on a session grid: the instant with that local time nearest to
 * `reference` (the scheduled time), so a session that runs past midnight needs no date.
 */
export function clockTimeNear(text: string, timeZone: string, reference: Date): Date | null {
	const m = /^(\d{1,2})[:.](\d{2})$/.exec(text.trim());
	if (!m) return null;
	const hour = Number(m[1]);
	const minute = Number(m[2]);
	if (hour > 23 || minute > 59) return null;
	let best: Date | null = null;
	for (const shift of [-DAY_MS, 0, DAY_MS]) {
		const [y, mo, d] = siteDate(new Date(reference.getTime() + shift), timeZone)
			.split('-')
			.map(Number) as [number, number, number];
		const resolved = wallClockToInstant(Date.UTC(y, mo - 1, d, hour, minute), timeZone);
		if (!resolved) continue;
		const candidate = new Date(resolved.instant);
		if (
			!best ||
			Math.abs(candidate.getTime() - reference.getTime()) <
				Math.abs(best.getTime() - reference.getTime())
		) {
			best = candidate;
		}
	}
	return best;
}

/** When a calendar day (YYYY-MM-DD) begins at the site: midnight, or 01:00 where a DST jump skips it. */
export function startOfSiteDay(day: string, timeZone: string): Date {
	const at = parseSiteDateTime(`${day}T00:00`, timeZone);
	const p = at.ok ? at : parseSiteDateTime(`${day}T01:00`, timeZone);
	return p.ok ? p.instant : new Date(`${day}T00:00:00Z`);
}

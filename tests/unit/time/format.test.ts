// Showing instants at a site: the wall clock on either side of daylight-saving changes, clock
// times typed across midnight, the start of a day whose midnight does not exist, and formatters
// built once per zone rather than once per value.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	cachedFormat,
	clockTimeNear,
	formatAtSite,
	formatLocal,
	parseSiteDateTime,
	siteDate,
	startOfSiteDay,
	toLocalClock,
	toLocalInput,
	toLocalInputWithSeconds
} from '../../../src/lib/domain/time';

const oslo = 'Europe/Oslo';
const newYork = 'America/New_York';

describe('the wall clock at a site', () => {
	it('follows Oslo across the spring and autumn changes of 2025', () => {
		// 30 March 2025: 02:00 CET became 03:00 CEST at 01:00Z.
		expect(toLocalInput('2025-03-30T00:59:00Z', oslo)).toBe('2025-03-30T01:59');
		expect(toLocalInput('2025-03-30T01:00:00Z', oslo)).toBe('2025-03-30T03:00');
		// 26 October 2025: 03:00 CEST became 02:00 CET at 01:00Z; 02:30 happens twice.
		expect(toLocalClock('2025-10-26T00:30:00Z', oslo)).toBe('02:30');
		expect(toLocalClock('2025-10-26T01:30:00Z', oslo)).toBe('02:30');
		expect(formatLocal('2025-10-26T23:30:00Z', oslo)).toBe('2025-10-27 00:30');
	});

	it('gives the calendar date at the site, not in UTC', () => {
		expect(siteDate(new Date('2026-11-20T23:30:00Z'), oslo)).toBe('2026-11-21');
		expect(siteDate(new Date('2026-11-21T03:00:00Z'), newYork)).toBe('2026-11-20');
	});

	it('shows seconds only when there are some, and an empty time as a dash', () => {
		expect(toLocalInputWithSeconds('2026-11-20T09:00:00Z', oslo)).toBe('2026-11-20T10:00');
		expect(toLocalInputWithSeconds('2026-11-20T09:00:07Z', oslo)).toBe('2026-11-20T10:00:07');
		expect(formatLocal(null, oslo)).toBe('—');
		expect(toLocalInput(undefined, oslo)).toBe('');
		expect(formatAtSite('2026-11-20T09:00:00Z', oslo)).toBe('20 Nov 2026, 10:00 (Europe/Oslo)');
	});

	it('reads back what it shows: toLocalInput then parseSiteDateTime is the same minute', () => {
		const zones = [oslo, newYork, 'Asia/Kolkata', 'Australia/Lord_Howe', 'America/Santiago'];
		fc.assert(
			fc.property(
				fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }),
				fc.constantFrom(...zones),
				(ms, zone) => {
					const minute = Math.floor(ms / 60_000) * 60_000;
					const shown = toLocalInput(new Date(minute), zone);
					const back = parseSiteDateTime(shown, zone);
					expect(back.ok).toBe(true);
					if (!back.ok) return;
					// In a fall-back hour the earlier of the two instants is read.
					if (back.ambiguous) expect(back.instant.getTime()).toBeLessThanOrEqual(minute);
					else expect(back.instant.getTime()).toBe(minute);
				}
			)
		);
	});
});

describe('a clock time typed on a session grid', () => {
	it('is the instant with that local time nearest the scheduled one, across midnight', () => {
		const scheduled = new Date('2026-11-20T22:50:00Z'); // 23:50 in Oslo
		expect(clockTimeNear('00:10', oslo, scheduled)?.toISOString()).toBe('2026-11-20T23:10:00.000Z');
		expect(clockTimeNear('23:40', oslo, scheduled)?.toISOString()).toBe('2026-11-20T22:40:00.000Z');
		expect(clockTimeNear('24:10', oslo, scheduled)).toBeNull();
		expect(clockTimeNear('ten past', oslo, scheduled)).toBeNull();
	});
});

describe('the start of a day at the site', () => {
	it('is local midnight, or 01:00 where the clocks skip midnight', () => {
		expect(startOfSiteDay('2026-11-20', oslo).toISOString()).toBe('2026-11-19T23:00:00.000Z');
		// Santiago moved from 00:00 to 01:00 on 11 September 2022 (UTC−4 → UTC−3).
		expect(startOfSiteDay('2022-09-11', 'America/Santiago').toISOString()).toBe(
			'2022-09-11T04:00:00.000Z'
		);
	});
});

describe('formatters', () => {
	it('are built once per zone and shape, and reused', () => {
		const a = cachedFormat('en-GB', oslo, { dateStyle: 'medium' });
		expect(cachedFormat('en-GB', oslo, { dateStyle: 'medium' })).toBe(a);
		expect(cachedFormat('en-GB', newYork, { dateStyle: 'medium' })).not.toBe(a);
	});

	it('refuse an unknown zone', () => {
		expect(() => toLocalInput('2026-11-20T09:00:00Z', 'Mars/Olympus')).toThrow(RangeError);
	});
});

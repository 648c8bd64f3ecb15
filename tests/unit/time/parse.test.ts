import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSiteDateTime, zoneOffsetMs } from '../../../src/lib/domain/time';

const oslo = 'Europe/Oslo';
const iso = (text: string, timeZone?: string) => {
	const result = parseSiteDateTime(text, timeZone);
	return result.ok ? result.instant.toISOString() : result.reason;
};

describe('parseSiteDateTime with an offset', () => {
	it('reads Z and numeric offsets as instants, whatever the site zone', () => {
		expect(iso('2025-03-30T02:30Z', oslo)).toBe('2025-03-30T02:30:00.000Z');
		expect(iso('2025-03-30T02:30:15.5+02:00')).toBe('2025-03-30T00:30:15.500Z');
		expect(iso('2025-01-01T00:00-05:30')).toBe('2025-01-01T05:30:00.000Z');
	});

	it('rejects impossible dates and offsets and other formats', () => {
		expect(iso('2025-02-29T10:00Z')).toBe('calendar');
		expect(iso('2025-01-01T24:00Z')).toBe('calendar');
		expect(iso('2025-01-01T10:00+24:00')).toBe('format');
		expect(iso('01/02/2025 10:00')).toBe('format');
		expect(iso('2025-01-01')).toBe('format');
		expect(iso('')).toBe('format');
	});
});

describe('parseSiteDateTime with wall-clock time in Europe/Oslo', () => {
	it('uses +01:00 in winter and +02:00 in summer', () => {
		expect(iso('2025-01-15T09:30', oslo)).toBe('2025-01-15T08:30:00.000Z');
		expect(iso('2025-07-15T09:30:20', oslo)).toBe('2025-07-15T07:30:20.000Z');
	});

	it('needs a time zone to read a wall-clock time', () => {
		expect(iso('2025-01-15T09:30')).toBe('no-time-zone');
	});

	it('converts either side of the spring-forward gap (2025-03-30, 02:00 → 03:00)', () => {
		expect(iso('2025-03-30T01:59', oslo)).toBe('2025-03-30T00:59:00.000Z');
		expect(iso('2025-03-30T03:00', oslo)).toBe('2025-03-30T01:00:00.000Z');
	});

	it('rejects a time inside the spring-forward gap', () => {
		expect(iso('2025-03-30T02:00', oslo)).toBe('nonexistent');
		expect(iso('2025-03-30T02:59', oslo)).toBe('nonexistent');
	});

	it('takes the earlier instant in the fall-back overlap (2025-10-26, 03:00 → 02:00)', () => {
		const result = parseSiteDateTime('2025-10-26T02:30', oslo);
		expect(result).toEqual({
			ok: true,
			instant: new Date('2025-10-26T00:30:00Z'),
			ambiguous: true
		});
		expect(iso('2025-10-26T01:59', oslo)).toBe('2025-10-25T23:59:00.000Z');
		expect(iso('2025-10-26T03:00', oslo)).toBe('2025-10-26T02:00:00.000Z');
		expect(parseSiteDateTime('2025-10-26T03:00', oslo)).toMatchObject({ ambiguous: false });
	});

	it('handles another zone’s rules (America/New_York, 2025-03-09)', () => {
		expect(iso('2025-03-09T02:30', 'America/New_York')).toBe('nonexistent');
		expect(iso('2025-03-09T03:30', 'America/New_York')).toBe('2025-03-09T07:30:00.000Z');
	});

	it('reads back the wall-clock time Oslo shows for any instant (property)', () => {
		const format = new Intl.DateTimeFormat('sv-SE', {
			timeZone: oslo,
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			hourCycle: 'h23'
		});
		const minute = 60_000;
		const around = (utc: number) =>
			fc.integer({ min: utc / minute - 180, max: utc / minute + 180 });
		const minutes = fc.oneof(
			fc.integer({ min: Date.UTC(2000, 0, 1) / minute, max: Date.UTC(2040, 0, 1) / minute }),
			around(Date.UTC(2025, 2, 30, 1)), // spring forward
			around(Date.UTC(2025, 9, 26, 1)) // fall back
		);
		fc.assert(
			fc.property(minutes, (minutes) => {
				const instant = minutes * minute;
				const wall = format.format(new Date(instant)).replace(' ', 'T');
				const result = parseSiteDateTime(wall, oslo);
				if (!result.ok) throw new Error(`${wall} did not parse: ${result.reason}`);
				// In the fall-back overlap the earlier of the two instants is taken.
				const expected = result.ambiguous ? [instant, instant - 3_600_000] : [instant];
				expect(expected).toContain(result.instant.getTime());
				expect(zoneOffsetMs(result.instant.getTime(), oslo) % 3_600_000).toBe(0);
			}),
			{ numRuns: 500 }
		);
	});
});

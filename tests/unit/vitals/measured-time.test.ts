import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	clockTimeNearInstant,
	latenessText,
	measuredTime,
	onTimeRate,
	readingLateness
} from '../../../src/lib/domain/vitals';

const OSLO = 'Europe/Oslo';
const NY = 'America/New_York';
const at = (iso: string) => new Date(iso);
const instantOf = (r: ReturnType<typeof measuredTime>) =>
	r.ok ? r.instant.toISOString() : r.error;

describe('the measured time of a reading', () => {
	it('left empty, it is the moment of saving, never the planned time', () => {
		const now = at('2026-11-20T05:52:00Z');
		const r = measuredTime('  ', { timeZone: OSLO, near: at('2026-11-20T05:31:00Z'), now });
		expect(r).toEqual({ ok: true, instant: now, typed: false });
	});

	it('the issue: 3 H planned 06:31, typed 06:52, is stored as 06:52 (Oslo, UTC+1)', () => {
		const r = measuredTime('06:52', {
			timeZone: OSLO,
			near: at('2026-12-06T05:31:00Z'),
			now: at('2026-12-06T06:00:00Z')
		});
		expect(instantOf(r)).toBe('2026-12-06T05:52:00.000Z');
	});

	it('a full date-time with an offset, or local, names its instant', () => {
		const opts = {
			timeZone: OSLO,
			near: at('2026-07-01T08:00:00Z'),
			now: at('2026-07-01T12:00:00Z')
		};
		expect(instantOf(measuredTime('2026-07-01T10:05:00+02:00', opts))).toBe(
			'2026-07-01T08:05:00.000Z'
		);
		expect(instantOf(measuredTime('2026-07-01 10:05', opts))).toBe('2026-07-01T08:05:00.000Z');
	});

	it('a session past midnight: 00:10 typed near 23:50 is the next day', () => {
		const r = clockTimeNearInstant('00:10', OSLO, at('2026-11-20T22:50:00Z'));
		expect(instantOf(r)).toBe('2026-11-20T23:10:00.000Z');
	});

	it('refuses what is not a clock time', () => {
		for (const text of ['25:00', '10:60', 'ten', '1030']) {
			expect(clockTimeNearInstant(text, OSLO, at('2026-11-20T10:00:00Z')).ok).toBe(false);
		}
	});
});

describe('at daylight-saving changes', () => {
	// Oslo springs forward on 2026-03-29 at 02:00 CET (01:00Z) to 03:00 CEST.
	it('spring: 02:30 did not exist in Oslo that night, and is refused rather than moved', () => {
		const r = clockTimeNearInstant('02:30', OSLO, at('2026-03-29T00:30:00Z'));
		expect(r).toEqual({
			ok: false,
			error: 'This local time does not exist (the clocks went forward); check the time.'
		});
		expect(
			measuredTime('2026-03-29 02:30', {
				timeZone: OSLO,
				near: at('2026-03-29T00:30:00Z'),
				now: at('2026-03-29T06:00:00Z')
			}).ok
		).toBe(false);
	});

	it('spring: planned 01:30 CET, taken 03:10 CEST is 40 minutes late, not 100', () => {
		const planned = at('2026-03-29T00:30:00Z');
		const r = clockTimeNearInstant('03:10', OSLO, planned);
		expect(instantOf(r)).toBe('2026-03-29T01:10:00.000Z');
		expect(readingLateness(planned, (r as { instant: Date }).instant, 15)).toEqual({
			minutes: 40,
			onTime: false
		});
	});

	// Oslo falls back on 2026-10-25 at 03:00 CEST (01:00Z) to 02:00 CET: 02:30 happens twice.
	it('autumn: 02:30 happens twice; the one nearer the planned time is taken', () => {
		expect(instantOf(clockTimeNearInstant('02:30', OSLO, at('2026-10-25T00:20:00Z')))).toBe(
			'2026-10-25T00:30:00.000Z'
		);
		expect(instantOf(clockTimeNearInstant('02:30', OSLO, at('2026-10-25T01:20:00Z')))).toBe(
			'2026-10-25T01:30:00.000Z'
		);
	});

	it('New York: spring 2026-03-08 02:00 EST → 03:00 EDT, autumn 2026-11-01 02:00 EDT → 01:00 EST', () => {
		expect(clockTimeNearInstant('02:15', NY, at('2026-03-08T07:00:00Z')).ok).toBe(false);
		expect(instantOf(clockTimeNearInstant('03:15', NY, at('2026-03-08T07:00:00Z')))).toBe(
			'2026-03-08T07:15:00.000Z'
		);
		expect(instantOf(clockTimeNearInstant('01:30', NY, at('2026-11-01T06:40:00Z')))).toBe(
			'2026-11-01T06:30:00.000Z'
		);
		expect(instantOf(clockTimeNearInstant('01:30', NY, at('2026-11-01T05:20:00Z')))).toBe(
			'2026-11-01T05:30:00.000Z'
		);
	});

	it('property: the local clock time of any instant, typed within 25 minutes of it, reads back as that minute', () => {
		const zones = [OSLO, NY, 'Australia/Sydney', 'Asia/Kolkata', 'UTC'];
		const fmt = (tz: string) =>
			new Intl.DateTimeFormat('en-GB', {
				timeZone: tz,
				hour: '2-digit',
				minute: '2-digit',
				hourCycle: 'h23'
			});
		fc.assert(
			fc.property(
				fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 11, 31) }),
				fc.integer({ min: -25, max: 25 }),
				fc.constantFrom(...zones),
				(ms, deltaMinutes, tz) => {
					const minute = Math.floor(ms / 60_000) * 60_000;
					const text = fmt(tz).format(new Date(minute));
					const r = clockTimeNearInstant(text, tz, new Date(minute + deltaMinutes * 60_000));
					expect(instantOf(r)).toBe(new Date(minute).toISOString());
				}
			)
		);
	});
});

describe('lateness and the on-time rate', () => {
	it('whole minutes late or early, on time within the tolerance either side', () => {
		const planned = '2026-12-06T05:31:00Z';
		expect(readingLateness(planned, '2026-12-06T05:52:00Z', 15)).toEqual({
			minutes: 21,
			onTime: false
		});
		expect(readingLateness(planned, '2026-12-06T05:46:00Z', 15)).toEqual({
			minutes: 15,
			onTime: true
		});
		expect(readingLateness(planned, '2026-12-06T05:26:00Z', 15)).toEqual({
			minutes: -5,
			onTime: true
		});
		expect(latenessText({ minutes: 21, onTime: false })).toBe('21 min late');
		expect(latenessText({ minutes: -5, onTime: true })).toBe('5 min early');
		expect(latenessText({ minutes: 1, onTime: true })).toBe('on time');
	});

	it('the on-time rate counts readings within the tolerance', () => {
		const p = '2026-12-06T05:00:00Z';
		const rate = onTimeRate(
			[
				{ plannedAt: p, measuredAt: '2026-12-06T05:10:00Z' },
				{ plannedAt: p, measuredAt: '2026-12-06T05:16:00Z' },
				{ plannedAt: p, measuredAt: '2026-12-06T04:50:00Z' },
				{ plannedAt: p, measuredAt: '2026-12-06T05:00:00Z' }
			],
			15
		);
		expect(rate).toEqual({ onTime: 3, total: 4, rate: 0.75 });
		expect(onTimeRate([], 15)).toEqual({ onTime: 0, total: 0, rate: null });
	});
});

// The wall clock at a site read through each UTC hour's steady offset (two Intl readings an hour)
// must be exactly what Intl reads for the instant itself: across daylight-saving changes, in zones
// whose offsets or changes are in half and quarter hours, and for old offsets in odd seconds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wallClockAt } from '../../../src/lib/domain/time';

const ZONES = [
	'Europe/Oslo',
	'America/New_York',
	'Australia/Lord_Howe', // daylight saving of half an hour
	'Asia/Kathmandu', // +05:45
	'America/St_Johns', // -03:30, with daylight saving
	'Pacific/Chatham', // +12:45 / +13:45
	'Africa/Casablanca', // daylight saving suspended each Ramadan
	'Europe/Amsterdam', // +00:19:32 until 1937
	'UTC'
];

const formats = new Map(
	ZONES.map((timeZone) => [
		timeZone,
		new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: 'numeric',
			day: 'numeric',
			hour: 'numeric',
			minute: 'numeric',
			second: 'numeric'
		})
	])
);

/** What Intl reads for the instant, with no shortcut. */
function intl(instant: number, timeZone: string) {
	const parts = formats.get(timeZone)!.formatToParts(instant);
	const n = (type: string) => Number(parts.find((p) => p.type === type)!.value);
	return {
		year: n('year'),
		month: n('month'),
		day: n('day'),
		hour: n('hour'),
		minute: n('minute'),
		second: n('second')
	};
}

describe('the wall clock through steady hourly offsets', () => {
	it('is what Intl reads, at both ends of every half hour of 2025', () => {
		const from = Date.UTC(2025, 0, 1);
		// The zones whose changes are not on the whole hour (or are many), where an hour can hold one.
		const changing = [
			'Australia/Lord_Howe',
			'America/St_Johns',
			'Pacific/Chatham',
			'Africa/Casablanca'
		];
		for (const zone of [...changing, 'Europe/Oslo']) {
			const misread: string[] = [];
			for (let t = from; t < from + 366 * 86_400_000; t += 1_800_000) {
				for (const instant of [t, t + 1_799_999]) {
					const got = wallClockAt(instant, zone);
					const want = intl(instant, zone);
					if (JSON.stringify(got) !== JSON.stringify(want)) {
						misread.push(`${new Date(instant).toISOString()} ${zone}`);
					}
				}
			}
			expect(misread).toEqual([]);
		}
	}, 60_000);

	it('is what Intl reads at any instant from 1900 to 2200, in any of the zones (property)', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: Date.UTC(1850, 0, 1), max: Date.UTC(2250, 0, 1) }),
				fc.constantFrom(...ZONES),
				(instant, zone) => {
					expect(wallClockAt(instant, zone)).toEqual(intl(instant, zone));
					expect(wallClockAt(new Date(instant), zone)).toEqual(intl(instant, zone));
				}
			),
			{ numRuns: 3_000 }
		);
	});

	it('still refuses an invalid instant', () => {
		expect(() => wallClockAt(new Date('not a date'), 'Europe/Oslo')).toThrow(RangeError);
	});
});

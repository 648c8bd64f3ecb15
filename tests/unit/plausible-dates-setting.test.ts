// VIGIL_PLAUSIBLE_DATES: the range every date a user enters must fall in, read in
// runtime/config.ts and applied to the shared schemas at start.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readConfig } from '../../src/lib/server/runtime/config';
import {
	DEFAULT_PLAUSIBLE_DATES,
	dateProblem,
	plausibleDates,
	usePlausibleDates
} from '../../src/lib/schemas/input';
import { visitRecordInput } from '../../src/lib/schemas/participant';
import { siteDateTime } from '../../src/lib/schemas/datetime';

afterEach(() => {
	vi.unstubAllEnvs();
	usePlausibleDates(DEFAULT_PLAUSIBLE_DATES);
});

describe('the VIGIL_PLAUSIBLE_DATES setting', () => {
	it('defaults to 2000-01-01..2099-12-31', () => {
		vi.stubEnv('VIGIL_PLAUSIBLE_DATES', '');
		expect(readConfig().plausibleDates).toEqual({ earliest: '2000-01-01', latest: '2099-12-31' });
	});

	it('reads a range of two real days', () => {
		vi.stubEnv('VIGIL_PLAUSIBLE_DATES', ' 1990-01-01 .. 2150-12-31 ');
		expect(readConfig().plausibleDates).toEqual({ earliest: '1990-01-01', latest: '2150-12-31' });
	});

	it.each([
		'2000-01-01',
		'2000-01-01..',
		'2099-12-31..2000-01-01',
		'2000-01-01..2026-02-30',
		'x..y'
	])('refuses "%s" at start, naming the setting', (raw) => {
		vi.stubEnv('VIGIL_PLAUSIBLE_DATES', raw);
		expect(() => readConfig()).toThrow(/VIGIL_PLAUSIBLE_DATES/);
	});
});

describe('dates held to the range in force', () => {
	it('a narrower range refuses what the default accepts, naming the range', () => {
		expect(dateProblem('2027-03-01')).toBeNull();
		usePlausibleDates({ earliest: '2020-01-01', latest: '2026-12-31' });
		expect(plausibleDates().latest).toBe('2026-12-31');
		expect(dateProblem('2027-03-01')).toBe('Enter a date between 2020-01-01 and 2026-12-31.');
		const visit = visitRecordInput.safeParse({ status: 'completed', actualOn: '2019-12-31' });
		expect(visit.error?.issues[0]).toMatchObject({
			path: ['actualOn'],
			message: 'Enter a date between 2020-01-01 and 2026-12-31.'
		});
		expect(siteDateTime('Europe/Oslo', 'T0').safeParse('2027-01-01T10:00').success).toBe(false);
	});

	it('a wider range accepts what the default refuses; real days are still required', () => {
		expect(dateProblem('2120-05-01')).toMatch(/between/);
		usePlausibleDates({ earliest: '1990-01-01', latest: '2150-12-31' });
		expect(dateProblem('2120-05-01')).toBeNull();
		expect(dateProblem('1995-06-30')).toBeNull();
		expect(dateProblem('2120-02-30')).toMatch(/real date/);
	});
});

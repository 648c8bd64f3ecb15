import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	dateProblem,
	plainNumber,
	reasonProblem,
	REASON_MAX_LENGTH
} from '../../../src/lib/schemas/input';
import { vitalsEntryInput } from '../../../src/lib/schemas/vitals';
import { dosingSessionStart } from '../../../src/lib/schemas/dosing-session';
import { participantStatusChange, visitRecordInput } from '../../../src/lib/schemas/participant';
import { siteDateTime } from '../../../src/lib/schemas/datetime';

describe('plain decimal numbers', () => {
	it.each([
		['120', 120],
		[' 36,6 ', 36.6],
		['-30', -30],
		['+5', 5],
		['.5', 0.5],
		[98.6, 98.6]
	])('reads %j as %j', (input, expected) => {
		expect(plainNumber(input)).toBe(expected);
	});

	it.each(['0x78', '0b1', '0o7', '1e3', 'Infinity', 'NaN', '12 mg', '', ' ', '١٢٠'])(
		'does not read %j as a number',
		(input) => {
			expect(typeof plainNumber(input)).not.toBe('number');
		}
	);

	it.each([true, false, [], {}, [120]])('does not read %j as a number', (input) => {
		expect(typeof plainNumber(input)).not.toBe('number');
	});

	it('vitals refuse "0x78" as systolic and a dose refuses true', () => {
		const vitals = vitalsEntryInput.safeParse({
			timepoint: 30,
			takenAt: '10:30',
			systolic: '0x78'
		});
		expect(vitals.success).toBe(false);
		expect(vitals.error?.issues[0]?.path).toEqual(['systolic']);
		const dose = dosingSessionStart('Europe/Oslo').safeParse({
			visitId: 1,
			t0: '2026-11-20T10:00',
			initialDoseMg: true
		});
		expect(dose.success).toBe(false);
		expect(dose.error?.issues[0]?.path).toEqual(['initialDoseMg']);
		const timepoint = vitalsEntryInput.safeParse({ timepoint: true, takenAt: '10:30' });
		expect(timepoint.success).toBe(false);
	});

	it('any decimal a person types is read as that number', () => {
		fc.assert(
			fc.property(fc.integer({ min: -100_000, max: 100_000 }), fc.nat(999), (whole, frac) => {
				expect(plainNumber(`${whole}.${String(frac).padStart(3, '0')}`)).toBeCloseTo(
					whole + Math.sign(whole || 1) * (frac / 1000),
					6
				);
			})
		);
	});
});

describe('dates', () => {
	it.each(['2026-02-28', '2024-02-29', '2000-01-01', '2099-12-31'])('accepts %s', (d) => {
		expect(dateProblem(d)).toBeNull();
	});

	it.each([
		['2026-02-30', /real date/],
		['2025-02-29', /real date/],
		['2026-13-01', /real date/],
		['0001-01-01', /between/],
		['0999-06-01', /between/],
		['2100-01-01', /between/],
		['9999-12-31', /between/],
		['26-1-1', /YYYY-MM-DD/]
	])('refuses %s', (d, why) => {
		expect(dateProblem(d)).toMatch(why);
	});

	it('names the field in visit and status changes', () => {
		const visit = visitRecordInput.safeParse({ status: 'completed', actualOn: '2026-02-30' });
		expect(visit.error?.issues[0]?.path).toEqual(['actualOn']);
		const status = participantStatusChange.safeParse({
			status: 'enrolled',
			enrolledOn: '9999-12-31'
		});
		expect(status.error?.issues[0]?.path).toEqual(['enrolledOn']);
	});

	it('a site date-time outside the range is refused', () => {
		const t = siteDateTime('Europe/Oslo', 'T0');
		expect(t.safeParse('2100-01-01T10:00').success).toBe(false);
		expect(t.safeParse('0999-01-01T10:00').success).toBe(false);
		expect(t.safeParse('2026-11-20T10:00').success).toBe(true);
	});

	it('every real day in range is accepted, and every 31st of a short month refused', () => {
		fc.assert(
			fc.property(
				fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
				(d) => {
					const day = d.toISOString().slice(0, 10);
					expect(dateProblem(day)).toBeNull();
					const [y, m] = day.split('-');
					if (['04', '06', '09', '11'].includes(m!)) {
						expect(dateProblem(`${y}-${m}-31`)).not.toBeNull();
					}
				}
			)
		);
	});
});

describe('reasons', () => {
	it.each([
		['\0\0\0', /printed/],
		['\u200b\u200b\u200b', /printed/],
		['...', /words/],
		['12345', /words/],
		['x'.repeat(100_000), /under/],
		['ok\u202eevil', /printed/]
	])('refuses %j', (text, why) => {
		expect(reasonProblem(text)).toMatch(why);
	});

	it.each([
		'Wrong participant',
		'Typo',
		'Gerät defekt',
		'Patient moved\nre-measured',
		'体温计错误'
	])('accepts %j', (text) => {
		expect(reasonProblem(text)).toBeNull();
	});

	it('the longest reason allowed is accepted', () => {
		expect(reasonProblem('a'.repeat(REASON_MAX_LENGTH))).toBeNull();
		expect(reasonProblem('a'.repeat(REASON_MAX_LENGTH + 1))).not.toBeNull();
	});
});

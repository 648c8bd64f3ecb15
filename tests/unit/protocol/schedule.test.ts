import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	addDays,
	demoProtocol,
	overdueVisits,
	parseProtocol,
	scheduleVisits,
	visitsInWindow
} from '../../../src/lib/domain/protocol';
import type { Protocol, ScheduledVisit } from '../../../src/lib/domain/protocol';

const demo = demoProtocol();

function byCode(schedule: ScheduledVisit[]) {
	return Object.fromEntries(schedule.map((v) => [v.code, v]));
}

function dates(schedule: ScheduledVisit[]) {
	return Object.fromEntries(schedule.map((v) => [v.code, [v.windowStart, v.planned, v.windowEnd]]));
}

describe('scheduleVisits on the demo protocol (dates computed by hand)', () => {
	it('plans every visit from enrolment on 2025-01-15', () => {
		expect(dates(scheduleVisits(demo, '2025-01-15'))).toEqual({
			SCR: ['2025-01-15', '2025-01-15', '2025-01-22'],
			BL: ['2025-01-29', '2025-02-05', '2025-02-12'],
			PREP1: ['2025-02-09', '2025-02-12', '2025-02-15'],
			PREP2: ['2025-02-16', '2025-02-19', '2025-02-22'],
			// February 2025 has 28 days: 26 Feb + 7 = 5 Mar
			PREP3: ['2025-02-23', '2025-02-26', '2025-03-01'],
			DS1: ['2025-03-02', '2025-03-05', '2025-03-12'],
			INT1a: ['2025-03-06', '2025-03-06', '2025-03-06'],
			INT1b: ['2025-03-10', '2025-03-12', '2025-03-14'],
			// 5 Mar + 28 = 2 Apr (March has 31 days)
			DS2: ['2025-03-30', '2025-04-02', '2025-04-09'],
			INT2a: ['2025-04-03', '2025-04-03', '2025-04-03'],
			INT2b: ['2025-04-07', '2025-04-09', '2025-04-11'],
			// from DS2 on 2 Apr: +30, +61, +182, +365 days
			FU1M: ['2025-04-25', '2025-05-02', '2025-05-09'],
			FU2M: ['2025-05-26', '2025-06-02', '2025-06-09'],
			FU6M: ['2025-09-17', '2025-10-01', '2025-10-15'],
			FU12M: ['2026-03-03', '2026-04-02', '2026-05-02']
		});
	});

	it('records the anchor date each visit counts from', () => {
		const s = byCode(scheduleVisits(demo, '2025-01-15'));
		expect(s.FU6M?.anchorDate).toBe('2025-04-02');
		expect(s.SCR?.anchorDate).toBe('2025-01-15');
		expect(s.SCR?.actual).toBeNull();
	});
});

describe('month lengths and leap years', () => {
	const twoVisits = (offset: number): Protocol => {
		const base = demoProtocol();
		const result = parseProtocol({
			...base,
			visits: [
				{ ...base.visits[0], scales: ['MADRS'] },
				{ ...base.visits[5], anchor: { visit: 'SCR' }, offsetDays: offset }
			]
		});
		if (!result.ok) throw new Error(JSON.stringify(result.errors));
		return result.protocol;
	};

	it('lands on 29 February in a leap year and on 1 March otherwise', () => {
		expect(byCode(scheduleVisits(twoVisits(50), '2024-01-10')).DS1?.planned).toBe('2024-02-29');
		expect(byCode(scheduleVisits(twoVisits(50), '2023-01-10')).DS1?.planned).toBe('2023-03-01');
	});

	it('crosses the year end and 30-day months', () => {
		expect(byCode(scheduleVisits(twoVisits(31), '2024-12-15')).DS1?.planned).toBe('2025-01-15');
		expect(byCode(scheduleVisits(twoVisits(1), '2025-04-30')).DS1?.planned).toBe('2025-05-01');
		expect(byCode(scheduleVisits(twoVisits(366), '2024-01-01')).DS1?.planned).toBe('2025-01-01');
	});

	it('is not shifted by daylight-saving changes (30 March 2025 in Europe)', () => {
		expect(byCode(scheduleVisits(twoVisits(2), '2025-03-29')).DS1?.planned).toBe('2025-03-31');
	});
});

describe('rescheduling from actual dates', () => {
	it('moves the visits after a late dosing session, and keeps its own plan', () => {
		const s = byCode(scheduleVisits(demo, '2025-01-15', { DS1: '2025-03-08' }));
		expect(s.DS1).toMatchObject({ planned: '2025-03-05', actual: '2025-03-08' });
		expect(s.PREP3?.planned).toBe('2025-02-26');
		expect(s.INT1a?.planned).toBe('2025-03-09');
		expect(s.INT1b?.planned).toBe('2025-03-15');
		expect(s.DS2?.planned).toBe('2025-04-05');
		expect(s.FU1M?.planned).toBe('2025-05-05');
	});

	it('counts follow-ups from the actual date of the last dosing session', () => {
		const s = byCode(scheduleVisits(demo, '2025-01-15', { DS2: '2025-04-10' }));
		expect(s.FU1M?.planned).toBe('2025-05-10');
		expect(s.FU12M?.planned).toBe('2026-04-10');
	});

	it('counts follow-ups from DS1 when dosing stopped after it', () => {
		const s = byCode(
			scheduleVisits(demo, '2025-01-15', { DS1: '2025-03-05' }, { lastDosingVisit: 'DS1' })
		);
		expect(s.FU1M?.planned).toBe('2025-04-04');
	});

	it('refuses unknown visit codes and impossible dates', () => {
		expect(() => scheduleVisits(demo, '2025-01-15', { DS9: '2025-03-05' })).toThrow(/DS9/);
		expect(() => scheduleVisits(demo, '2025-02-29')).toThrow(RangeError);
		expect(() => scheduleVisits(demo, '2025-01-15', { DS1: '2025-3-5' })).toThrow(RangeError);
		expect(() => scheduleVisits(demo, '2025-01-15', {}, { lastDosingVisit: 'BL' })).toThrow();
	});

	it('keeps every window around its planned date and each offset from its anchor (property)', () => {
		const day = fc.integer({ min: 0, max: 20_000 }).map((n) => addDays('1990-01-01', n));
		const shift = fc.integer({ min: -10, max: 10 });
		fc.assert(
			fc.property(day, shift, (enrolment, late) => {
				const plannedDs1 = byCode(scheduleVisits(demo, enrolment)).DS1?.planned ?? '';
				const actual = { DS1: addDays(plannedDs1, late) };
				for (const [i, v] of scheduleVisits(demo, enrolment, actual).entries()) {
					expect(v.windowStart <= v.planned && v.planned <= v.windowEnd).toBe(true);
					expect(v.planned).toBe(addDays(v.anchorDate, demo.visits[i]?.offsetDays ?? NaN));
				}
			})
		);
	});
});

describe('overdue visits', () => {
	const actual = {
		SCR: '2025-01-15',
		BL: '2025-02-05',
		PREP1: '2025-02-12',
		PREP2: '2025-02-19',
		PREP3: '2025-02-26',
		DS1: '2025-03-05'
	};
	const schedule = scheduleVisits(demo, '2025-01-15', actual);

	it('lists open visits whose window has closed, most overdue first', () => {
		const overdue = overdueVisits(schedule, {}, '2025-03-13');
		expect(overdue.map((o) => [o.visit.code, o.daysOverdue])).toEqual([['INT1a', 7]]);
	});

	it('is not overdue on the last day of the window, and is 1 day overdue the day after', () => {
		expect(overdueVisits(schedule, { INT1a: 'completed' }, '2025-03-14')).toEqual([]);
		const next = overdueVisits(schedule, { INT1a: 'completed' }, '2025-03-15');
		expect(next.map((o) => [o.visit.code, o.daysOverdue])).toEqual([['INT1b', 1]]);
	});

	it('leaves out visits completed, missed or cancelled', () => {
		const statuses = { INT1a: 'missed', INT1b: 'cancelled' } as const;
		expect(overdueVisits(schedule, statuses, '2025-03-20')).toEqual([]);
	});

	it('orders several overdue visits', () => {
		const overdue = overdueVisits(schedule, {}, '2025-04-20');
		expect(overdue.map((o) => [o.visit.code, o.daysOverdue])).toEqual([
			['INT1a', 45],
			['INT1b', 37],
			['INT2a', 17],
			['DS2', 11],
			['INT2b', 9]
		]);
	});

	it('lists the open visits in window today', () => {
		const codes = visitsInWindow(schedule, {}, '2025-03-31').map((v) => v.code);
		expect(codes).toEqual(['DS2']);
		expect(visitsInWindow(schedule, { DS2: 'completed' }, '2025-03-31')).toEqual([]);
	});
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	DEVIATION_CATEGORIES,
	importantByDefault,
	safetyAssessmentNotDone,
	supplementalAgainstHold,
	visitDeviations,
	visitOrderDeviation,
	visitWindowDeviation,
	type ScheduledVisitState
} from '../../../src/lib/domain/deviations';
import { addDays, dayNumber } from '../../../src/lib/domain/protocol/dates';

const ds1: ScheduledVisitState = {
	code: 'DS1',
	label: 'Dosing session 1',
	kind: 'dosing',
	sequence: 5,
	windowStart: '2027-01-11',
	windowEnd: '2027-01-21',
	status: 'scheduled'
};
const bl: ScheduledVisitState = {
	code: 'BL',
	label: 'Baseline',
	kind: 'baseline',
	sequence: 2,
	windowStart: '2026-12-20',
	windowEnd: '2027-01-03',
	status: 'scheduled'
};
const scr = { ...bl, code: 'SCR', label: 'Screening', kind: 'screening', sequence: 1 };

describe('visit window', () => {
	it('the issue: dosing session 1 started on 2026-12-06, window 2027-01-11 to 01-21', () => {
		const d = visitWindowDeviation(ds1, '2026-12-06');
		expect(d).toMatchObject({ category: 'IP/DOSING', important: true });
		expect(d?.description).toContain('36 days before its window opened (2027-01-11)');
	});

	it('both ends of the window are inside; the day either side is outside', () => {
		expect(visitWindowDeviation(ds1, '2027-01-11')).toBeNull();
		expect(visitWindowDeviation(ds1, '2027-01-21')).toBeNull();
		expect(visitWindowDeviation(ds1, '2027-01-10')?.description).toContain('1 day before');
		expect(visitWindowDeviation(ds1, '2027-01-22')?.description).toContain(
			'1 day after its window closed (2027-01-21)'
		);
	});

	it('a visit other than dosing is a VISIT WINDOW deviation, not important by default', () => {
		expect(visitWindowDeviation(bl, '2027-01-04')).toMatchObject({
			category: 'VISIT WINDOW',
			important: false
		});
	});

	it('a visit without a window never deviates from it', () => {
		expect(visitWindowDeviation({ ...ds1, windowStart: null, windowEnd: null }, '2020-01-01')).toBe(
			null
		);
	});

	it('property: deviates exactly when the day is outside [start, end]', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: -400, max: 400 }),
				fc.integer({ min: 0, max: 30 }),
				fc.integer({ min: -60, max: 60 }),
				(startOffset, width, dayOffset) => {
					const windowStart = addDays('2027-01-01', startOffset);
					const windowEnd = addDays(windowStart, width);
					const on = addDays(windowStart, dayOffset);
					const outside =
						dayNumber(on) < dayNumber(windowStart) || dayNumber(on) > dayNumber(windowEnd);
					const d = visitWindowDeviation({ ...ds1, windowStart, windowEnd }, on);
					expect(d !== null).toBe(outside);
				}
			)
		);
	});
});

describe('visit order', () => {
	it('the issue: dosing before the baseline visit took place is out of order', () => {
		const d = visitOrderDeviation(ds1, [scr, bl, ds1]);
		expect(d?.description).toBe(
			'Dosing session 1 (DS1) took place before Screening (SCR), Baseline (BL), which the protocol puts first.'
		);
		expect(d?.ruleId).toBe('deviation.visit.order');
	});

	it('earlier visits done, missed or cancelled: in order', () => {
		for (const status of ['completed', 'missed', 'cancelled']) {
			expect(
				visitOrderDeviation(ds1, [{ ...scr, status }, { ...bl, status: 'completed' }, ds1])
			).toBeNull();
		}
	});

	it('later open visits do not matter', () => {
		expect(
			visitOrderDeviation({ ...bl, status: 'scheduled' }, [
				{ ...scr, status: 'completed' },
				bl,
				ds1
			])
		).toBeNull();
	});

	it('visitDeviations gives both when both apply, none when neither does', () => {
		expect(visitDeviations(ds1, [scr, bl, ds1], '2026-12-06').map((d) => d.ruleId)).toEqual([
			'deviation.visit.window',
			'deviation.visit.order'
		]);
		const done = [{ ...scr, status: 'completed' }, { ...bl, status: 'completed' }, ds1];
		expect(visitDeviations(ds1, done, '2027-01-14')).toEqual([]);
	});
});

describe('categories and importance', () => {
	it('[D] DOMAIN-2 §7: consent, eligibility and dosing are important by default, nothing else', () => {
		expect(DEVIATION_CATEGORIES.filter(importantByDefault)).toEqual([
			'INFORMED CONSENT',
			'ELIGIBILITY',
			'IP/DOSING'
		]);
	});

	it('a missed safety assessment and a dose given against a hold say what happened', () => {
		expect(safetyAssessmentNotDone(2, '3 H', 'participant asleep')).toMatchObject({
			category: 'SAFETY ASSESSMENT NOT DONE',
			important: false,
			description: 'Dosing session 2: vital signs at 3 H not done (participant asleep).'
		});
		expect(
			supplementalAgainstHold(1, ['Systolic 165 mmHg at 1 H.'], 'physician approved')
		).toMatchObject({ category: 'IP/DOSING', important: true });
	});
});

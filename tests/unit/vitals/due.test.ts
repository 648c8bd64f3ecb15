import { describe, expect, it } from 'vitest';
import { DEFAULT_VITALS_TIMEPOINTS } from '../../../src/lib/domain/protocol';
import { dueReadings, nearestScheduledTimepoint } from '../../../src/lib/domain/vitals';
import type { DueReading, VitalsReading } from '../../../src/lib/domain/vitals';

const T0 = '2025-03-05T09:00:00Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000);
const tps = DEFAULT_VITALS_TIMEPOINTS;

const cardio = { systolic: 120, diastolic: 80, heartRate: 70 };
const full = { ...cardio, temperature: 36.8 };

function byMinutes(rows: DueReading[]) {
	return Object.fromEntries(rows.map((r) => [String(r.timepoint.minutes), r]));
}

describe('nearestScheduledTimepoint', () => {
	it('finds the closest timepoint; on a tie, the earlier one', () => {
		expect(nearestScheduledTimepoint(tps, 33)?.minutes).toBe(30);
		expect(nearestScheduledTimepoint(tps, 75)?.minutes).toBe(60);
		expect(nearestScheduledTimepoint(tps, 80)?.minutes).toBe(90);
		expect(nearestScheduledTimepoint(tps, -40)?.minutes).toBe(-30);
	});

	it('finds none beyond the tolerance', () => {
		expect(nearestScheduledTimepoint(tps, 75, { toleranceMinutes: 10 })).toBeUndefined();
		expect(nearestScheduledTimepoint(tps, 68, { toleranceMinutes: 10 })?.minutes).toBe(60);
	});

	it('considers "end" only once the end time is known', () => {
		expect(nearestScheduledTimepoint(tps, 470)?.minutes).toBe(420);
		expect(nearestScheduledTimepoint(tps, 470, { endMinutes: 480 })?.minutes).toBe('end');
	});
});

describe('dueReadings', () => {
	const preDose: VitalsReading = { id: 1, takenAt: at(-31), ...full };

	it('lists every timepoint: done, due soon, upcoming', () => {
		const rows = byMinutes(dueReadings(tps, T0, null, [preDose], at(25)));
		expect(rows['-30']?.status).toBe('done');
		expect(rows['30']).toMatchObject({ status: 'due', minutesLate: 0, scheduledAt: at(30) });
		expect(rows['60']?.status).toBe('upcoming');
		expect(rows['end']).toMatchObject({ status: 'upcoming', scheduledAt: null });
		expect(Object.keys(rows)).toHaveLength(11);
	});

	it('says how many minutes a missing reading is late', () => {
		const rows = byMinutes(dueReadings(tps, T0, null, [preDose], at(50.5)));
		expect(rows['30']).toMatchObject({ status: 'late', minutesLate: 20 });
		expect(rows['60']?.status).toBe('due');
	});

	it('is not done while a due measure is missing (temperature at 60 min)', () => {
		const readings = [preDose, { id: 2, takenAt: at(61), ...cardio }];
		const rows = byMinutes(dueReadings(tps, T0, null, readings, at(80)));
		expect(rows['60']).toMatchObject({ status: 'late', minutesLate: 20, missing: ['temperature'] });
	});

	it('does not need temperature where the schedule does not ask for it', () => {
		const rows = byMinutes(dueReadings(tps, T0, null, [{ takenAt: at(29), ...cardio }], at(40)));
		expect(rows['30']).toMatchObject({ status: 'done', missing: [] });
	});

	it('ignores readings entered in error', () => {
		const wrong = { id: 2, takenAt: at(30), ...cardio, enteredInError: true };
		const rows = byMinutes(dueReadings(tps, T0, null, [preDose, wrong], at(46)));
		expect(rows['30']).toMatchObject({ status: 'late', minutesLate: 16 });
	});

	it('does not let an unscheduled recheck stand in for a scheduled reading', () => {
		const recheck = { id: 2, takenAt: at(31), ...cardio, timepointNumber: null };
		const rows = byMinutes(dueReadings(tps, T0, null, [preDose, recheck], at(40)));
		expect(rows['30']?.status).toBe('late');
	});

	it('counts a reading for the timepoint it names, even when taken late', () => {
		const late = { id: 2, takenAt: at(52), ...cardio, timepointNumber: 2 };
		const rows = byMinutes(dueReadings(tps, T0, null, [preDose, late], at(55)));
		expect(rows['30']?.status).toBe('done');
		expect(rows['60']?.status).toBe('due');
	});

	it('after an early end, later timepoints are not needed and "end" is due at the end time', () => {
		const rows = byMinutes(dueReadings(tps, T0, at(300), [preDose], at(299)));
		expect(rows['360']?.status).toBe('not-needed');
		expect(rows['420']?.status).toBe('not-needed');
		expect(rows['end']).toMatchObject({ status: 'due', scheduledAt: at(300) });
		expect(rows['240']).toMatchObject({ status: 'late', minutesLate: 59 });
	});

	it('marks "end" done by an end-of-session reading', () => {
		const endReading = { id: 9, takenAt: at(482), ...full };
		const rows = byMinutes(dueReadings(tps, T0, at(480), [preDose, endReading], at(490)));
		expect(rows['end']?.status).toBe('done');
		expect(rows['420']).toMatchObject({ status: 'late', minutesLate: 70 });
	});

	it('honours grace and due-before settings', () => {
		const rows = byMinutes(
			dueReadings(tps, T0, null, [preDose], at(34), { graceMinutes: 5, dueBeforeMinutes: 30 })
		);
		expect(rows['30']?.status).toBe('due');
		expect(rows['60']?.status).toBe('due');
	});
});

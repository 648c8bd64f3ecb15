import { describe, expect, it } from 'vitest';
import {
	ConflictError,
	ForbiddenError,
	NotFoundError,
	ValidationError
} from '../../src/lib/server/runtime/errors';
import {
	listDosingSessions,
	markDosingSessionEnteredInError,
	startDosingSession,
	updateDosingSession
} from '../../src/lib/server/services/capture/dosing-sessions';
import { listVisits } from '../../src/lib/server/services/capture/visits';
import {
	ConfirmationNeeded,
	correctVitals,
	markVitalsEnteredInError,
	recordVitals,
	recordVitalsBatch
} from '../../src/lib/server/services/capture/vitals';
import { actorFor, type TestDb, runningSession, freshDbEach } from '../helpers/db';

let t: TestDb;
// 2026-11-20 10:00 in Oslo (UTC+1) is 09:00Z.
const T0 = '2026-11-20T09:00:00.000Z';
const now = () => new Date('2026-11-20T18:00:00Z');

freshDbEach((db) => (t = db));

async function session() {
	const {
		coordinator: c,
		participant: p,
		visit: dosing,
		session: s
	} = await runningSession(t, { now });
	return { c, p, s, dosing };
}

const reading = (
	timepoint: number | string,
	takenAt: string,
	extra: Record<string, unknown> = {}
) => ({
	timepoint: String(timepoint),
	takenAt,
	systolic: '128',
	diastolic: '82',
	heartRate: '76',
	temperature: '36.8',
	temperatureUnit: 'C',
	...extra
});

describe('dosing sessions', () => {
	it('T0 typed in the site time zone is stored in UTC, and the dosing visit is recorded as done', async () => {
		const { c, p, s, dosing } = await session();
		expect(s.t0).toBe(T0);
		expect(s.initial_dose_mg).toBe(120);
		const visit = (await listVisits(c, p.id)).find((v) => v.id === dosing.id)!;
		expect(visit).toMatchObject({ status: 'completed', actual_on: '2026-11-20' });
		await expect(
			startDosingSession(c, p.id, {
				visitId: dosing.id,
				t0: '2026-11-20T10:00',
				initialDoseMg: 120,
				deviationReason: 'test set-up'
			})
		).rejects.toBeInstanceOf(ConflictError);
	});

	it('records the supplemental dose, or its absence with a reason, and the end; corrections need a reason', async () => {
		const { c, s } = await session();
		const e = await updateDosingSession(c, s.id, {
			supplemental: 'given',
			supplementalDoseMg: '60'
		}).catch((x: unknown) => x);
		expect((e as ValidationError).fieldErrors.supplementalAt).toBeDefined();
		const given = await updateDosingSession(c, s.id, {
			supplemental: 'given',
			supplementalDoseMg: '60',
			supplementalAt: '2026-11-20T11:40'
		});
		expect(given.supplemental_at).toBe('2026-11-20T10:40:00.000Z');
		await expect(
			updateDosingSession(c, s.id, {
				supplemental: 'not-given',
				supplementalNotGivenReason: 'BP high'
			})
		).rejects.toMatchObject({
			fieldErrors: { reason: ['Give a reason for changing a saved value.'] }
		});
		await updateDosingSession(c, s.id, {
			supplemental: 'not-given',
			supplementalNotGivenReason: 'BP high',
			reason: 'entered on the wrong participant'
		});
		const early = await updateDosingSession(c, s.id, { endedAt: '2026-11-20T09:59' }).catch(
			(x: unknown) => x
		);
		expect((early as ValidationError).fieldErrors.endedAt).toEqual(['The session ends after T0.']);
		const ended = await updateDosingSession(c, s.id, { endedAt: '2026-11-20T17:55' });
		expect(ended.ended_at).toBe('2026-11-20T16:55:00.000Z');
	});

	it('site scoping: other sites see nothing, other roles cannot write', async () => {
		const { p, s } = await session();
		const other = await actorFor(t, 'coordinator', ['B1'], now);
		const inv = await actorFor(t, 'investigator', ['A1'], now);
		await expect(listDosingSessions(other, p.id)).rejects.toBeInstanceOf(NotFoundError);
		await expect(recordVitals(other, s.id, reading(30, '10:30'))).rejects.toBeInstanceOf(
			NotFoundError
		);
		await expect(recordVitals(inv, s.id, reading(30, '10:30'))).rejects.toBeInstanceOf(
			ForbiddenError
		);
		expect((await listDosingSessions(inv, p.id)).map((x) => x.id)).toEqual([s.id]);
	});
});

describe('vitals', () => {
	it('stores a reading at its timepoint with the clock time read near the schedule', async () => {
		const { c, s } = await session();
		const pre = await recordVitals(c, s.id, reading(-30, '09:31'));
		expect(pre).toMatchObject({
			timepoint_label: 'PRE-DOSE',
			measured_at: '2026-11-20T08:31:00.000Z',
			systolic: 128,
			temperature_c: 36.8
		});
		await expect(recordVitals(c, s.id, reading(-30, '09:35'))).rejects.toBeInstanceOf(
			ConflictError
		);
	});

	it('converts °F to °C and keeps what was typed', async () => {
		const { c, s } = await session();
		const r = await recordVitals(
			c,
			s.id,
			reading(60, '11:00', { temperature: '100.4', temperatureUnit: 'F' })
		);
		expect(r.temperature_c).toBe(38);
		expect([r.temperature_value, r.temperature_unit]).toEqual([100.4, 'F']);
	});

	it('refuses implausible values with field errors and writes nothing', async () => {
		const { c, s } = await session();
		const before = await t.db.selectFrom('audit_event').select('seq').execute();
		const e = await recordVitals(
			c,
			s.id,
			reading(30, '10:30', {
				systolic: '310',
				diastolic: '10',
				heartRate: '300',
				temperature: '46'
			})
		).catch((x: unknown) => x);
		expect(Object.keys((e as ValidationError).fieldErrors).sort()).toEqual([
			'diastolic',
			'heartRate',
			'systolic',
			'temperature'
		]);
		expect(await t.db.selectFrom('vital_reading').select('id').execute()).toHaveLength(0);
		expect(await t.db.selectFrom('audit_event').select('seq').execute()).toHaveLength(
			before.length
		);
	});

	it('asks for confirmation of a systolic jump over 60 mmHg, then saves it', async () => {
		const { c, s } = await session();
		await recordVitals(c, s.id, reading(-30, '09:30', { systolic: '120' }));
		const e = await recordVitals(c, s.id, reading(30, '10:30', { systolic: '185' })).catch(
			(x: unknown) => x
		);
		expect(e).toBeInstanceOf(ConfirmationNeeded);
		expect((e as ConfirmationNeeded).warnings.systolic).toContain('rose by 65 mmHg');
		const ok = await recordVitals(
			c,
			s.id,
			reading(30, '10:30', { systolic: '185', confirmed: 'on' })
		);
		expect(ok.systolic).toBe(185);
		// Exactly 60 is not a jump.
		await recordVitals(c, s.id, reading(60, '11:00', { systolic: '125' }));
	});

	it('corrections need a reason; entered in error keeps the row', async () => {
		const { c, s } = await session();
		const r = await recordVitals(c, s.id, reading(30, '10:30'));
		await expect(
			correctVitals(c, r.id, reading(30, '10:30', { systolic: '138' }))
		).rejects.toBeInstanceOf(ValidationError);
		const fixed = await correctVitals(c, r.id, {
			...reading(30, '10:30', { systolic: '138' }),
			reason: 'misread the monitor'
		});
		expect(fixed.systolic).toBe(138);
		const ev = await t.db
			.selectFrom('audit_event')
			.selectAll()
			.where('action', '=', 'vitals.update')
			.executeTakeFirstOrThrow();
		expect(JSON.parse(ev.old_values!)).toEqual({ systolic: 128 });
		expect(JSON.parse(ev.new_values!)).toEqual({ systolic: 138 });
		await markVitalsEnteredInError(c, r.id, { reason: 'wrong participant' });
		const row = await t.db
			.selectFrom('vital_reading')
			.selectAll()
			.where('id', '=', r.id)
			.executeTakeFirstOrThrow();
		expect(row.entered_in_error_reason).toBe('wrong participant');
		// The timepoint is free again.
		await recordVitals(c, s.id, reading(30, '10:31'));
	});

	it('a monitor batch is all or nothing, with errors under readings.<n>', async () => {
		const { c, s } = await session();
		const bad = await recordVitalsBatch(c, s.id, {
			readings: [
				reading(-30, '2026-11-20T08:30:00Z'),
				reading(30, '2026-11-20T09:30:00Z', { heartRate: '400' })
			]
		}).catch((x: unknown) => x);
		expect((bad as ValidationError).fieldErrors['readings.1.heartRate']).toBeDefined();
		expect(await t.db.selectFrom('vital_reading').select('id').execute()).toHaveLength(0);
		const ok = await recordVitalsBatch(c, s.id, {
			readings: [
				reading(-30, '2026-11-20T08:30:00Z'),
				reading('unscheduled', '2026-11-20T09:10:00Z', { systolic: '190' })
			]
		});
		expect(ok).toHaveLength(2);
		expect(ok[1]!.warnings.systolic).toBeDefined();
		expect(ok.every((x) => x.reading.source === 'monitor')).toBe(true);
	});

	it('a session entered in error takes no more readings', async () => {
		const { c, s } = await session();
		await markDosingSessionEnteredInError(c, s.id, { reason: 'duplicate' });
		await expect(recordVitals(c, s.id, reading(30, '10:30'))).rejects.toBeInstanceOf(ConflictError);
	});
});

// A device's idempotency key: a reading sent again after a dropped connection is stored once.
import { beforeEach, describe, expect, it } from 'vitest';
import { recordVitals, recordVitalsBatch } from '../../src/lib/server/services/capture/vitals';
import { listFlags } from '../../src/lib/server/services/safety/flags';
import { readingTimes } from '../../src/lib/server/services/capture/reading-times';
import { actorFor, runningSession, type TestDb, freshDbEach } from '../helpers/db';

let t: TestDb;
let clock: number;
const now = () => new Date(clock);

freshDbEach((db) => (t = db));
beforeEach(() => {
	clock = Date.parse('2026-11-20T09:20:00Z');
});

/** T0 10:00 in Oslo (09:00Z). */
async function running() {
	const { coordinator: c, session: s } = await runningSession(t, { now });
	return { c, s };
}

const readingsOf = (sessionId: number) =>
	t.db
		.selectFrom('vital_reading')
		.selectAll()
		.where('dosing_session_id', '=', sessionId)
		.orderBy('id')
		.execute();
const recordedAuditsOf = (readingId: number) =>
	t.db
		.selectFrom('audit_event')
		.select('seq')
		.where('action', '=', 'vitals.create')
		.where('entity_id', '=', String(readingId))
		.execute();

const key = 'k0Offline-2026-11-20-0001';

describe('a reading sent with a client key', () => {
	it('sent twice is stored and audited once, and the second send returns the first reading', async () => {
		const { c, s } = await running();
		clock = Date.parse('2026-11-20T09:31:00Z');
		const first = await recordVitals(c, s.id, {
			timepoint: 30,
			takenAt: '10:30',
			systolic: 172,
			diastolic: 95,
			clientKey: key
		});
		const flagsBefore = await listFlags(c, { sessionId: s.id });
		clock = Date.parse('2026-11-20T09:45:00Z');
		const again = await recordVitals(c, s.id, {
			timepoint: 30,
			takenAt: '10:30',
			systolic: 172,
			diastolic: 95,
			clientKey: key
		});
		expect(again.id).toBe(first.id);
		expect(first.client_key).toBe(key);
		const rows = await readingsOf(s.id);
		expect(rows.filter((r) => r.timepoint_label === '30 MIN POST-DOSE')).toHaveLength(1);
		expect(await recordedAuditsOf(first.id)).toHaveLength(1);
		// The breach raised by the first send is not raised a second time.
		expect(await listFlags(c, { sessionId: s.id })).toHaveLength(flagsBefore.length);
		expect(flagsBefore.length).toBeGreaterThan(0);
	});

	it('an unscheduled recheck sent twice with its key is one recheck, two keys are two', async () => {
		const { c, s } = await running();
		clock = Date.parse('2026-11-20T09:40:00Z');
		const recheck = { timepoint: 'unscheduled', systolic: 150, diastolic: 90 };
		await recordVitals(c, s.id, { ...recheck, clientKey: 'recheck-key-1' });
		await recordVitals(c, s.id, { ...recheck, clientKey: 'recheck-key-1' });
		await recordVitals(c, s.id, { ...recheck, clientKey: 'recheck-key-2' });
		await recordVitals(c, s.id, recheck);
		const rows = (await readingsOf(s.id)).filter((r) => r.timepoint_label === 'UNSCHEDULED');
		expect(rows.map((r) => r.client_key)).toEqual(['recheck-key-1', 'recheck-key-2', null]);
	});

	it('a new key for a timepoint already recorded is refused as a duplicate timepoint', async () => {
		const { c, s } = await running();
		clock = Date.parse('2026-11-20T09:31:00Z');
		const values = { timepoint: 30, systolic: 128, diastolic: 82 };
		await recordVitals(c, s.id, { ...values, clientKey: 'device-a-0001' });
		await expect(recordVitals(c, s.id, { ...values, clientKey: 'device-b-0001' })).rejects.toThrow(
			/recorded already/
		);
	});

	it('a monitor batch resent after a timeout stores nothing new', async () => {
		const { c, s } = await running();
		clock = Date.parse('2026-11-20T09:35:00Z');
		const batch = {
			readings: [
				{ timepoint: -30, takenAt: '09:30', systolic: 124, diastolic: 80, clientKey: 'mon-0001' },
				{ timepoint: 30, takenAt: '10:30', systolic: 126, diastolic: 81, clientKey: 'mon-0002' }
			]
		};
		const first = await recordVitalsBatch(c, s.id, batch);
		const again = await recordVitalsBatch(c, s.id, batch);
		expect(again.map((r) => r.reading.id)).toEqual(first.map((r) => r.reading.id));
		expect(await readingsOf(s.id)).toHaveLength(2);
	});

	it('a key that is not 8-64 plain characters is a field error', async () => {
		const { c, s } = await running();
		clock = Date.parse('2026-11-20T09:31:00Z');
		for (const bad of ['short', 'has space in it', 'x'.repeat(65), 42]) {
			await expect(
				recordVitals(c, s.id, { timepoint: 30, systolic: 120, clientKey: bad })
			).rejects.toMatchObject({ fieldErrors: { clientKey: [expect.any(String)] } });
		}
		expect(await readingsOf(s.id)).toHaveLength(0);
	});
});

describe('the times of a reading sent late', () => {
	it('are when it was measured and when it was received, for readers of its site only', async () => {
		const { c, s } = await running();
		// Typed offline at 10:30 Oslo, received at 10:52 when the connection came back.
		clock = Date.parse('2026-11-20T09:52:00Z');
		const r = await recordVitals(c, s.id, {
			timepoint: 30,
			takenAt: '2026-11-20T09:30:00.000Z',
			systolic: 128,
			diastolic: 82,
			clientKey: 'late-send-0001'
		});
		expect(await readingTimes(c, [r.id, r.id])).toEqual({
			[r.id]: { measuredAt: '2026-11-20T09:30:00.000Z', receivedAt: '2026-11-20T09:52:00.000Z' }
		});
		const elsewhere = await actorFor(t, 'coordinator', ['B1'], now);
		expect(await readingTimes(elsewhere, [r.id])).toEqual({});
	});
});

// The write path does each thing once: a save reads the session's readings once whatever the
// batch size, and limits keep one request from holding the writer (413 for an oversized batch,
// 422 for a session past its unscheduled readings) with messages that say what to do.
import type { KyselyPlugin } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../src/lib/server/runtime/context';
import { TooLargeError, ValidationError } from '../../src/lib/server/runtime/errors';
import { recordVitals, recordVitalsBatch } from '../../src/lib/server/services/capture/vitals';
import { listFlags } from '../../src/lib/server/services/safety/flags';
import { type TestDb, runningSession, freshDbEach } from '../helpers/db';

let t: TestDb;
const now = () => new Date('2026-11-20T18:00:00Z');

freshDbEach((db) => (t = db));

async function session(limits?: ServiceContext['limits']) {
	const { coordinator, session: s } = await runningSession(t, { now });
	const c = { ...coordinator, limits };
	return { c, s };
}

/** Unscheduled rechecks a minute apart from 11:00 site time, systolic as given. */
const rechecks = (n: number, systolic = 128, from = 0) =>
	Array.from({ length: n }, (_, i) => ({
		timepoint: 'unscheduled',
		takenAt: `2026-11-20T${String(11 + Math.floor((from + i) / 60)).padStart(2, '0')}:${String((from + i) % 60).padStart(2, '0')}+01:00`,
		systolic,
		diastolic: 82,
		heartRate: 76
	}));

/** Counts the SELECTs that read vital_reading, by watching the queries Kysely runs. */
function readingReads(): { plugin: KyselyPlugin; count: () => number } {
	let n = 0;
	type From = { from?: { froms: Array<{ table?: { identifier: { name: string } } }> } };
	const plugin: KyselyPlugin = {
		transformQuery({ node }) {
			const table = (node as From).from?.froms[0]?.table?.identifier.name;
			if (node.kind === 'SelectQueryNode' && table === 'vital_reading') n++;
			return node;
		},
		async transformResult({ result }) {
			return result;
		}
	};
	return { plugin, count: () => n };
}

describe('the write path', () => {
	it('reads the session readings once per save, whatever the batch size', async () => {
		const { c, s } = await session();
		const small = readingReads();
		await recordVitalsBatch({ ...c, db: t.db.withPlugin(small.plugin) }, s.id, {
			readings: rechecks(5)
		});
		const large = readingReads();
		await recordVitalsBatch({ ...c, db: t.db.withPlugin(large.plugin) }, s.id, {
			readings: rechecks(50, 128, 5)
		});
		expect(small.count()).toBe(1);
		expect(large.count()).toBe(1);
		const single = readingReads();
		await recordVitals({ ...c, db: t.db.withPlugin(single.plugin) }, s.id, rechecks(1, 128, 55)[0]);
		expect(single.count()).toBe(1);
	});

	it('raises the same flags from a batch as from the same readings saved one by one', async () => {
		const a = await session();
		const b = await session();
		const readings = [...rechecks(2, 128), ...rechecks(2, 175, 2), ...rechecks(1, 130, 4)];
		await recordVitalsBatch(a.c, a.s.id, { readings });
		for (const r of readings) await recordVitals(b.c, b.s.id, { ...r, confirmed: true });
		const shape = async (ctx: ServiceContext, sessionId: number) =>
			(await listFlags(ctx, { sessionId })).map((f) => [f.ruleId, f.level, f.status]).sort();
		expect(await shape(a.c, a.s.id)).toEqual(await shape(b.c, b.s.id));
		expect((await shape(a.c, a.s.id)).length).toBeGreaterThan(0);
	});

	it('refuses a batch over the limit with 413 and says how many are allowed', async () => {
		const { c, s } = await session({ maxBatchReadings: 3, maxUnscheduledReadings: 200 });
		const refused = recordVitalsBatch(c, s.id, { readings: rechecks(4) });
		await expect(refused).rejects.toBeInstanceOf(TooLargeError);
		await expect(refused).rejects.toMatchObject({
			status: 413,
			fieldErrors: { readings: ['Send at most 3 readings at a time; this batch has 4.'] }
		});
		expect(await recordVitalsBatch(c, s.id, { readings: rechecks(3) })).toHaveLength(3);
	});

	it('refuses unscheduled readings past the session limit with 422, in a batch by index', async () => {
		const { c, s } = await session({ maxBatchReadings: 500, maxUnscheduledReadings: 3 });
		await recordVitalsBatch(c, s.id, { readings: rechecks(2) });
		const batch = recordVitalsBatch(c, s.id, { readings: rechecks(2, 128, 2) });
		await expect(batch).rejects.toBeInstanceOf(ValidationError);
		await expect(batch).rejects.toMatchObject({ status: 422 });
		const error = (await batch.catch((e: unknown) => e)) as ValidationError;
		expect(Object.keys(error.fieldErrors)).toEqual(['readings.1.timepoint']);
		expect(error.fieldErrors['readings.1.timepoint']![0]).toMatch(/holds 3 unscheduled readings/);
		// All or nothing: the first of the refused batch was not kept, so one more still fits.
		await recordVitals(c, s.id, rechecks(1, 128, 10)[0]);
		await expect(recordVitals(c, s.id, rechecks(1, 128, 11)[0])).rejects.toMatchObject({
			status: 422,
			fieldErrors: { timepoint: [expect.stringMatching(/VIGIL_MAX_UNSCHEDULED_READINGS/)] }
		});
	});
});

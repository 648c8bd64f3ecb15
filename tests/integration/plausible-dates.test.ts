// VIGIL_PLAUSIBLE_DATES reaches the services: the app started with a range holds a real write to
// it, and the field error names the range (the setting is read once, in runtime/config.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PLAUSIBLE_DATES, usePlausibleDates } from '../../src/lib/schemas/input';
import { startVigil } from '../../src/lib/server/runtime/app';
import { readConfig } from '../../src/lib/server/runtime/config';
import { listVisits, recordVisit } from '../../src/lib/server/services/capture/visits';
import { createPostgresDatabase, onPostgres } from '../helpers/database';
import { actorFor, enrolledParticipant, freshDb, type TestDb } from '../helpers/db';

let t: TestDb;
beforeAll(async () => {
	await startVigil({
		...readConfig(),
		dbFile: ':memory:',
		databaseUrl: onPostgres ? await createPostgresDatabase() : undefined,
		demo: false,
		plausibleDates: { earliest: '2026-01-01', latest: '2026-12-31' }
	});
	t = await freshDb();
});
afterAll(async () => {
	usePlausibleDates(DEFAULT_PLAUSIBLE_DATES);
	await t.db.destroy();
});

describe('a site that narrows the plausible dates', () => {
	it('gets a field error naming its range for a visit date outside it, and nothing is stored', async () => {
		const now = () => new Date('2026-11-20T12:00:00Z');
		const c = await actorFor(t, 'coordinator', ['A1'], now);
		const p = await enrolledParticipant(t);
		const visit = (await listVisits(c, p.id)).find((v) => v.kind !== 'dosing')!;
		await expect(
			recordVisit(c, visit.id, { status: 'completed', actualOn: '2025-12-31', reason: 'typed' })
		).rejects.toMatchObject({
			status: 422,
			fieldErrors: { actualOn: ['Enter a date between 2026-01-01 and 2026-12-31.'] }
		});
		const after = (await listVisits(c, p.id)).find((v) => v.id === visit.id)!;
		expect(after.status).toBe(visit.status);
	});
});

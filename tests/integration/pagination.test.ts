// The JSON API's lists page in SQL with a cursor: pages joined in order are the whole list, each
// row once; the last page says so (next = null); a cursor from elsewhere is refused by field.
// The board's recently closed list is the latest closed, cut in SQL.
import { describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../src/lib/server/runtime/context';
import { ValidationError } from '../../src/lib/server/runtime/errors';
import { startDosingSession } from '../../src/lib/server/services/capture/dosing-sessions';
import {
	listParticipants,
	listParticipantsPage
} from '../../src/lib/server/services/capture/participants';
import { listVisits } from '../../src/lib/server/services/capture/visits';
import { recordVitalsBatch } from '../../src/lib/server/services/capture/vitals';
import {
	closeFlag,
	listFlags,
	listFlagsPage,
	recentlyClosedFlags
} from '../../src/lib/server/services/safety/flags';
import { actorFor, enrolledParticipant, type TestDb, freshDbEach } from '../helpers/db';

let t: TestDb;
const now = () => new Date('2026-11-20T18:00:00Z');

freshDbEach((db) => (t = db));

/** A session at A1 with readings at notify, action and urgent levels: flags of every level. */
async function flaggedSession(c: ServiceContext, site: 'A1' | 'B1' = 'A1') {
	const p = await enrolledParticipant(t, site, '2026-10-01');
	const dosing = (await listVisits(c, p.id)).find((v) => v.kind === 'dosing')!;
	const s = await startDosingSession(c, p.id, {
		visitId: dosing.id,
		t0: '2026-11-20T10:00',
		initialDoseMg: '120',
		deviationReason: 'test set-up'
	});
	const systolics = [150, 165, 185, 152, 170, 190, 148];
	await recordVitalsBatch(c, s.id, {
		readings: systolics.map((systolic, i) => ({
			timepoint: 'unscheduled',
			takenAt: `2026-11-20T11:${String(10 + i * 5).padStart(2, '0')}+01:00`,
			systolic,
			diastolic: 85,
			heartRate: 80
		}))
	});
}

async function allPages<T>(
	fetch: (cursor?: string) => Promise<{ items: T[]; next: string | null }>
) {
	const pages: T[][] = [];
	let cursor: string | undefined;
	for (;;) {
		const page = await fetch(cursor);
		pages.push(page.items);
		if (page.next === null) return pages;
		cursor = page.next;
	}
}

describe('cursor pagination', () => {
	it('open flags page most severe first, and the pages make the whole list once', async () => {
		const c = await actorFor(t, 'coordinator', ['A1'], now);
		await flaggedSession(c);
		await flaggedSession(c);
		const inv = await actorFor(t, 'investigator', ['A1'], now);
		const whole = await listFlags(inv, { open: true });
		expect(whole.length).toBeGreaterThan(7);
		const pages = await allPages((cursor) => listFlagsPage(inv, { open: true, limit: 3, cursor }));
		expect(pages.slice(0, -1).every((p) => p.length === 3)).toBe(true);
		const paged = pages.flat();
		expect(paged.map((f) => f.id).sort()).toEqual(whole.map((f) => f.id).sort());
		const rank = { urgent: 0, action: 1, notify: 2 } as Record<string, number>;
		for (let i = 1; i < paged.length; i++) {
			const [a, b] = [paged[i - 1]!, paged[i]!];
			expect(
				rank[a.level]! < rank[b.level]! ||
					(rank[a.level] === rank[b.level] && a.raisedAt <= b.raisedAt)
			).toBe(true);
		}
	});

	it('all flags page newest raised first; other sites stay out', async () => {
		const c = await actorFor(t, 'coordinator', ['A1'], now);
		await flaggedSession(c);
		const inv = await actorFor(t, 'investigator', ['A1'], now);
		const other = await actorFor(t, 'investigator', ['B1'], now);
		const paged = (
			await allPages((cursor) => listFlagsPage(inv, { open: false, limit: 2, cursor }))
		).flat();
		expect(paged.length).toBe((await listFlags(inv, {})).length);
		for (let i = 1; i < paged.length; i++) {
			expect(paged[i - 1]!.raisedAt >= paged[i]!.raisedAt).toBe(true);
		}
		expect((await listFlagsPage(other, { open: false, limit: 50 })).items).toEqual([]);
	});

	it('all flags at several sites page newest raised first, interleaved, each once', async () => {
		// Readers of more than one site page by merging each site's newest (repositories/flags.ts).
		await flaggedSession(await actorFor(t, 'coordinator', ['A1'], now));
		await flaggedSession(await actorFor(t, 'coordinator', ['B1'], now), 'B1');
		await flaggedSession(await actorFor(t, 'coordinator', ['A1'], now));
		const both = await actorFor(t, 'auditor', ['A1', 'B1'], now);
		const whole = await listFlags(both, {});
		expect(new Set(whole.map((f) => f.siteCode))).toEqual(new Set(['A1', 'B1']));
		for (const limit of [1, 2, 5, 100]) {
			const pages = await allPages((cursor) => listFlagsPage(both, { open: false, limit, cursor }));
			expect(pages.slice(0, -1).every((p) => p.length === limit)).toBe(true);
			expect(pages.flat().map((f) => f.id)).toEqual(whole.map((f) => f.id));
		}
		// The same order as one site's own list, where the flags of the other site interleave.
		const onlyA = (await listFlags(await actorFor(t, 'auditor', ['A1'], now), {})).map((f) => f.id);
		const paged = (
			await allPages((cursor) => listFlagsPage(both, { open: false, limit: 3, cursor }))
		).flat();
		expect(paged.filter((f) => f.siteCode === 'A1').map((f) => f.id)).toEqual(onlyA);
		for (let i = 1; i < paged.length; i++) {
			const [a, b] = [paged[i - 1]!, paged[i]!];
			expect(a.raisedAt > b.raisedAt || (a.raisedAt === b.raisedAt && a.id > b.id)).toBe(true);
		}
	});

	it('participants page by subject code', async () => {
		for (let i = 0; i < 7; i++) await enrolledParticipant(t, 'A1', '2026-10-01');
		await enrolledParticipant(t, 'B1', '2026-10-01');
		const c = await actorFor(t, 'coordinator', ['A1'], now);
		const pages = await allPages((cursor) => listParticipantsPage(c, { limit: 3, cursor }));
		expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
		expect(pages.flat().map((p) => p.subject_code)).toEqual(
			(await listParticipants(c)).map((p) => p.subject_code)
		);
	});

	it('refuses a cursor it did not give, on the cursor field', async () => {
		const inv = await actorFor(t, 'investigator', ['A1'], now);
		for (const cursor of ['not-a-cursor', Buffer.from('[1,2]').toString('base64url')]) {
			const refused = listFlagsPage(inv, { open: true, limit: 10, cursor });
			await expect(refused).rejects.toBeInstanceOf(ValidationError);
			await expect(refused).rejects.toMatchObject({
				fieldErrors: { cursor: [expect.any(String)] }
			});
		}
	});
});

describe("the board's recently closed flags", () => {
	it('are the latest closed, newest first, at most as many as asked', async () => {
		const c = await actorFor(t, 'coordinator', ['A1'], now);
		await flaggedSession(c);
		let clock = Date.parse('2026-11-20T18:00:00Z');
		const inv = await actorFor(t, 'investigator', ['A1'], () => new Date(clock));
		const open = await listFlags(inv, { open: true });
		for (const f of open.slice(0, 5)) {
			clock += 60_000;
			await closeFlag(inv, f.id, { outcome: 'Settled' });
		}
		const recent = await recentlyClosedFlags(inv, 3);
		expect(recent.map((f) => f.id)).toEqual(
			open
				.slice(0, 5)
				.map((f) => f.id)
				.reverse()
				.slice(0, 3)
		);
	});
});

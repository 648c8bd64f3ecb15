// Overdue visits are read a page at a time in SQL (oldest window first, a keyset cursor), with the
// site's total: a site months into a trial can hold hundreds, and the site page and overview show
// a page and say how many there are.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	ForbiddenError,
	NotFoundError,
	ValidationError
} from '../../src/lib/server/runtime/errors';
import { overdueVisitsPage, type OverdueVisit } from '../../src/lib/server/services/capture/visits';
import { siteOverview } from '../../src/lib/server/services/dashboards/site-overview';
import { actorFor, enrolledParticipant, freshDb, type TestDb } from '../helpers/db';

let t: TestDb;
const now = () => new Date('2026-11-20T10:31:00Z');
let all: OverdueVisit[];

beforeAll(async () => {
	t = await freshDb();
	// Enrolled months ago with nothing recorded: every visit whose window closed is overdue.
	for (const on of ['2026-03-02', '2026-04-06', '2026-05-04', '2026-06-01']) {
		await enrolledParticipant(t, 'A1', on);
	}
	await enrolledParticipant(t, 'B1', '2026-03-02');
	// One page larger than them all: the list the pages below must add up to.
	all = (
		await overdueVisitsPage(await actorFor(t, 'coordinator', ['A1'], now), t.siteA, {
			limit: 10_000
		})
	).visits;
});
afterAll(async () => {
	await t.db.destroy();
});

describe('overdue visits a page at a time', () => {
	it('walks every overdue visit of the site exactly once, oldest window first', async () => {
		const c = await actorFor(t, 'coordinator', ['A1'], now);
		expect(all.length).toBeGreaterThan(20);
		const seen: OverdueVisit[] = [];
		let after: string | null = null;
		let pages = 0;
		do {
			const page = await overdueVisitsPage(c, t.siteA, { after, limit: 7 });
			expect(page.total).toBe(all.length);
			expect(page.visits.length).toBeLessThanOrEqual(7);
			seen.push(...page.visits);
			after = page.next;
			pages += 1;
		} while (after && pages < 100);
		expect(pages).toBe(Math.ceil(all.length / 7));
		expect(seen.map((v) => v.visitId).sort((a, b) => a - b)).toEqual(
			all.map((v) => v.visitId).sort((a, b) => a - b)
		);
		const windows = seen.map((v) => v.windowEnd ?? '');
		expect(windows).toEqual([...windows].sort());
		expect(seen.every((v) => v.siteId === t.siteA)).toBe(true);
	});

	it('a full last page says there is no next one', async () => {
		const c = await actorFor(t, 'coordinator', ['A1'], now);
		const page = await overdueVisitsPage(c, t.siteA, { limit: all.length });
		expect(page.visits).toHaveLength(all.length);
		expect(page.next).toBeNull();
	});

	it('the overview shows the first page and the whole count', async () => {
		const inv = await actorFor(t, 'investigator', ['A1'], now);
		const o = await siteOverview(inv, 'A1');
		expect(o.overdueTotal).toBe(all.length);
		expect(o.overdueVisits.map((v) => v.visitId)).toEqual(
			(await overdueVisitsPage(inv, t.siteA)).visits.map((v) => v.visitId)
		);
	});

	it('refuses a cursor it did not make, and another site’s visits', async () => {
		const c = await actorFor(t, 'coordinator', ['A1'], now);
		for (const after of ['x', '2026-13-40', '2026-01-01~1 or 1=1', '~5']) {
			await expect(overdueVisitsPage(c, t.siteA, { after })).rejects.toBeInstanceOf(
				ValidationError
			);
		}
		const other = await actorFor(t, 'coordinator', ['B1'], now);
		await expect(overdueVisitsPage(other, t.siteA)).rejects.toSatisfy(
			(e) => e instanceof ForbiddenError || e instanceof NotFoundError
		);
		await expect(overdueVisitsPage(c, 999_999)).rejects.toBeInstanceOf(NotFoundError);
	});
});

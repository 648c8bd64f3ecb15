// The cohort page's view is made once while the data stay as they are (view-cache.ts): viewers
// alike in role and sites share it, and any save, correction or other audited write makes the
// next view anew, as the data now stand. Another role or another set of sites never gets it.
import { describe, expect, it } from 'vitest';
import { markScaleEnteredInError } from '../../src/lib/server/services/capture/scales';
import {
	cohortPage,
	type CohortPage
} from '../../src/lib/server/services/dashboards/dashboard-views';
import { viewsMade } from '../../src/lib/server/services/dashboards/view-cache';
import { updateSite } from '../../src/lib/server/services/people/sites';
import { cohortParticipant } from '../helpers/cohort';
import { actorFor, freshDbEach, type TestDb } from '../helpers/db';

let t: TestDb;
freshDbEach((db) => (t = db));

const NOW = () => new Date('2027-12-01T12:00:00Z');

/** The FU1M total's n and mean as the page shows them. */
const fu1m = (page: CohortPage) => {
	const row = page.view!.overall.find((v) => v.visitCode === 'FU1M')!;
	return { n: row.total.n, mean: row.total.mean };
};

describe('the cohort page’s view, made once per state of the data', () => {
	it('is shared by viewers alike and by views at once, and a save or a correction shows in the next view', async () => {
		await cohortParticipant(t, 'A1', { BL: 30, FU1M: 15 }, { now: NOW });
		const p2 = await cohortParticipant(t, 'A1', { BL: 24, FU1M: 4 }, { now: NOW });
		const inv = await actorFor(t, 'investigator', ['A1'], NOW);
		const colleague = await actorFor(t, 'investigator', ['A1'], NOW);

		const made = viewsMade(inv);
		const first = await cohortPage(inv, {});
		expect(fu1m(first)).toEqual({ n: 2, mean: 9.5 });
		// Another investigator of the same site, and ten views at once: the view already made.
		expect(await cohortPage(colleague, {})).toBe(first);
		const together = await Promise.all(Array.from({ length: 10 }, () => cohortPage(inv, {})));
		expect(together.every((v) => v === first)).toBe(true);
		expect(viewsMade(inv)).toBe(made + 1);

		// A later FU1M total for the second participant replaces their 4: (15 + 8) / 2.
		const saved = await p2.record('FU1M', 8, '2026-11-27T10:00');
		const afterSave = await cohortPage(inv, {});
		expect(fu1m(afterSave)).toEqual({ n: 2, mean: 11.5 });
		expect(viewsMade(inv)).toBe(made + 2);

		// Entered in error: the 4 counts again.
		await markScaleEnteredInError(p2.coordinator, saved.id, { reason: 'wrong visit' });
		expect(fu1m(await cohortPage(colleague, {}))).toEqual({ n: 2, mean: 9.5 });
	});

	it('a view asked for while a save commits shows the save once the save has returned', async () => {
		const p = await cohortParticipant(t, 'A1', { BL: 30, FU1M: 15 }, { now: NOW });
		const inv = await actorFor(t, 'investigator', ['A1'], NOW);
		await cohortPage(inv, {});
		// The view and the save race; whichever way they go, a view asked after the save shows it.
		const [during] = await Promise.all([
			cohortPage(inv, {}),
			p.record('FU1M', 9, '2026-11-27T10:00')
		]);
		expect([15, 9]).toContain(fu1m(during).mean);
		expect(fu1m(await cohortPage(inv, {}))).toEqual({ n: 1, mean: 9 });
	});

	it('a write outside the clinical records (a site renamed) shows as well', async () => {
		await cohortParticipant(t, 'A1', { BL: 30, FU1M: 15 }, { now: NOW });
		const inv = await actorFor(t, 'investigator', ['A1'], NOW);
		const before = await cohortPage(inv, {});
		expect(before.view!.context.options.sites.map((s) => s.name)).not.toContain('Renamed A1');
		await updateSite(t.system, t.siteA, {
			name: 'Renamed A1',
			timezone: 'Europe/Oslo',
			country: 'NOR',
			reason: 'Renamed by the sponsor'
		});
		const after = await cohortPage(inv, {});
		expect(after.view!.context.options.sites.map((s) => s.name)).toEqual(['Renamed A1']);
	});

	it('another site’s investigator, an auditor or the admin never get a view made for someone else', async () => {
		await cohortParticipant(t, 'A1', { BL: 30, FU1M: 15 }, { now: NOW });
		await cohortParticipant(t, 'B1', { BL: 28, FU1M: 8 }, { now: NOW });
		const invA = await actorFor(t, 'investigator', ['A1'], NOW);
		const invB = await actorFor(t, 'investigator', ['B1'], NOW);
		const auditorA = await actorFor(t, 'auditor', ['A1'], NOW);
		const admin = await actorFor(t, 'admin', [], NOW);

		const a = await cohortPage(invA, {});
		const b = await cohortPage(invB, {});
		const aud = await cohortPage(auditorA, {});
		const all = await cohortPage(admin, {});
		expect(a.view!.context.options.sites.map((s) => s.code)).toEqual(['A1']);
		expect(fu1m(a)).toEqual({ n: 1, mean: 15 });
		expect(b.view!.context.options.sites.map((s) => s.code)).toEqual(['B1']);
		expect(fu1m(b)).toEqual({ n: 1, mean: 8 });
		expect(aud).not.toBe(a);
		expect(fu1m(aud)).toEqual({ n: 1, mean: 15 });
		expect(all.view!.context.options.sites.map((s) => s.code)).toEqual(['A1', 'B1']);
		expect(fu1m(all)).toEqual({ n: 2, mean: 11.5 });
		// Each filter is a view of its own.
		const onlyB = await cohortPage(admin, { siteCode: 'B1' });
		expect(fu1m(onlyB)).toEqual({ n: 1, mean: 8 });
		expect(await cohortPage(admin, {})).toBe(all);
	});
});

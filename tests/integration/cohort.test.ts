import { describe, expect, it } from 'vitest';
import { ForbiddenError, NotFoundError } from '../../src/lib/server/runtime/errors';
import { cohortDashboard, type VisitStat } from '../../src/lib/server/services/dashboards/cohort';
import { markScaleEnteredInError } from '../../src/lib/server/services/capture/scales';
import { cohortParticipant } from '../helpers/cohort';
import { actorFor, type TestDb, freshDbEach } from '../helpers/db';

let t: TestDb;
freshDbEach((db) => (t = db));

const NOW = () => new Date('2027-12-01T12:00:00Z');
const participant = (
	site: 'A1' | 'B1',
	totals: Record<string, number>,
	o: { dosed?: boolean; doseGroup?: string } = {}
) => cohortParticipant(t, site, totals, { ...o, now: NOW });

/** Four participants at A1 with hand-chosen totals, one at B1, one at A1 never dosed. */
async function cohort() {
	await participant('A1', { SCR: 40, BL: 30, FU1M: 15, FU6M: 12 });
	await participant('A1', { BL: 24, FU1M: 4, FU12M: 6 });
	const p3 = await participant('A1', { BL: 20, FU1M: 14 });
	await participant('A1', { BL: 36, FU1M: 10 }, { doseGroup: '80 mg' });
	await participant('B1', { BL: 28, FU1M: 8 });
	await participant('A1', { BL: 22 }, { dosed: false });
	// A later FU1M for participant 3, entered in error: it must not replace their 14.
	const wrong = await p3.record('FU1M', 2, '2026-11-26T10:00');
	await markScaleEnteredInError(p3.coordinator, wrong.id, { reason: 'wrong participant' });
}

const at = (visits: VisitStat[], code: string) => visits.find((v) => v.visitCode === code)!;

describe('cohort by visit', () => {
	it('n, mean and 95 % CI of totals and of change from baseline, by hand', async () => {
		await cohort();
		const inv = await actorFor(t, 'investigator', ['A1'], NOW);
		const view = (await cohortDashboard(inv, {}))!;
		expect(view.instrument).toBe('MADRS');
		expect(view.participants).toBe(5);
		expect(view.overall.map((v) => v.visitCode)).toEqual([
			'SCR',
			'BL',
			'INT1b',
			'INT2b',
			'FU1M',
			'FU2M',
			'FU6M',
			'FU12M'
		]);
		// BL 30, 24, 20, 36, 22: Σ 132, x̄ 26.4; Σ(x − x̄)² = 12.96 + 5.76 + 40.96 + 92.16 + 19.36
		// = 171.2; s = √(171.2 / 4) = 6.542171; t₀.₉₇₅,₄ = 2.776445; half = 2.776445 × 6.542171 / √5
		// = 8.123178 → [18.276822, 34.523178]
		const bl = at(view.overall, 'BL');
		expect(bl.total.n).toBe(5);
		expect(bl.total.mean).toBeCloseTo(26.4, 10);
		expect(bl.total.ci!.lower).toBeCloseTo(18.276822, 5);
		expect(bl.total.ci!.upper).toBeCloseTo(34.523178, 5);
		// Before the first dose there is no change, so no response; nobody remits (all > 10).
		expect(bl.change.n).toBe(0);
		expect(bl.response).toEqual({ count: 0, of: 0, p: null, ci: null });
		expect(bl.remission).toMatchObject({ count: 0, of: 5 });

		// FU1M 15, 4, 14, 10 (the 2 entered in error left out): x̄ 10.75; Σ(x − x̄)² = 18.0625 +
		// 45.5625 + 10.5625 + 0.5625 = 74.75; s = √(74.75 / 3) = 4.991660; t₀.₉₇₅,₃ = 3.182446;
		// half = 3.182446 × 4.991660 / 2 = 7.942845 → [2.807155, 18.692845]
		const fu = at(view.overall, 'FU1M');
		expect(fu.total.n).toBe(4);
		expect(fu.total.mean).toBe(10.75);
		expect(fu.total.ci!.lower).toBeCloseTo(2.807155, 5);
		expect(fu.total.ci!.upper).toBeCloseTo(18.692845, 5);
		// Changes −15, −20, −6, −26: x̄ −16.75; Σ(x − x̄)² = 3.0625 + 10.5625 + 115.5625 + 85.5625
		// = 214.75; s = √(214.75 / 3) = 8.460693; half = 3.182446 × 8.460693 / 2 = 13.462851
		// → [−30.212851, −3.287149]
		expect(fu.change.n).toBe(4);
		expect(fu.change.mean).toBe(-16.75);
		expect(fu.change.ci!.lower).toBeCloseTo(-30.212851, 5);
		expect(fu.change.ci!.upper).toBeCloseTo(-3.287149, 5);
		// % change −50, −83.3, −30, −72.2: mean (−50 − 83.333 − 30 − 72.222) / 4 = −58.888889
		expect(fu.percentChange.mean).toBeCloseTo(-58.888889, 5);
		// Response (≥ 50 % below): 15 of 30 exactly at the boundary, 4 of 24, 10 of 36 → 3/4;
		// 14 of 20 is 30 % below. Remission (≤ 10): 4 and 10 (at the threshold) → 2/4.
		expect(fu.response).toMatchObject({ count: 3, of: 4, p: 0.75 });
		expect(fu.response.ci!.lower).toBeCloseTo(0.30064, 5);
		expect(fu.remission).toMatchObject({ count: 2, of: 4, p: 0.5 });
	});

	it('counts only the actor’s sites; the auditor of both sees B1 too', async () => {
		await cohort();
		const inv = await actorFor(t, 'investigator', ['A1'], NOW);
		const aud = await actorFor(t, 'auditor', ['A1', 'B1'], NOW);
		const own = (await cohortDashboard(inv, {}))!;
		const both = (await cohortDashboard(aud, {}))!;
		expect(at(own.overall, 'FU1M').total.n).toBe(4);
		expect(at(both.overall, 'FU1M').total.n).toBe(5);
		// 28 → 8 is 71 % below: a fourth responder, a third remitter.
		expect(at(both.overall, 'FU1M').response).toMatchObject({ count: 4, of: 5 });
		expect(at(both.overall, 'FU1M').remission).toMatchObject({ count: 3, of: 5 });
		expect(own.bySite.map((g) => g.group)).toEqual(['A1']);
		expect(both.bySite.map((g) => g.group)).toEqual(['A1', 'B1']);
		expect(own.context.options.sites.map((s) => s.code)).toEqual(['A1']);
		const onlyB = (await cohortDashboard(aud, { siteCode: 'b1' }))!;
		expect(at(onlyB.overall, 'FU1M').total).toMatchObject({ n: 1, mean: 8, ci: null });
	});

	it('splits by dose group and filters to one', async () => {
		await cohort();
		const inv = await actorFor(t, 'investigator', ['A1'], NOW);
		const view = (await cohortDashboard(inv, {}))!;
		expect(view.context.options.doseGroups).toEqual(['120 mg', '80 mg']);
		const [high, low] = view.byDoseGroup;
		// 120 mg at FU1M: 15, 4, 14 → x̄ 11; one value has no interval.
		expect(high!.group).toBe('120 mg');
		expect(at(high!.visits, 'FU1M').total).toMatchObject({ n: 3, mean: 11 });
		expect(at(low!.visits, 'FU1M').total).toMatchObject({ n: 1, mean: 10, ci: null });
		const filtered = (await cohortDashboard(inv, { doseGroup: '80 mg' }))!;
		expect(at(filtered.overall, 'FU1M').total.n).toBe(1);
		expect(filtered.participants).toBe(1);
	});

	it('draws each participant’s line on request and the 6- and 12-month exploration', async () => {
		await cohort();
		const inv = await actorFor(t, 'investigator', ['A1'], NOW);
		expect((await cohortDashboard(inv, {}))!.lines).toBeNull();
		const view = (await cohortDashboard(inv, { lines: true }))!;
		const first = view.lines!.filter((l) => l.subject_code === view.lines![0]!.subject_code);
		expect(first.map((l) => [l.visit_code, l.total]).sort()).toEqual([
			['BL', 30],
			['FU1M', 15],
			['FU6M', 12],
			['SCR', 40]
		]);
		expect(new Set(view.lines!.map((l) => l.subject_code)).size).toBe(5);
		expect(view.followUps.map((f) => [f.months, f.code])).toEqual([
			[6, 'FU6M'],
			[12, 'FU12M']
		]);
		// 30 → 12 is −60 %; 24 → 6 is −75 %.
		expect(view.followUps[0]!.points).toEqual([
			expect.objectContaining({ baseline: 30, total: 12, percentChange: -60, doseGroup: '120 mg' })
		]);
		expect(view.followUps[1]!.points).toEqual([
			expect.objectContaining({ baseline: 24, total: 6, percentChange: -75 })
		]);
	});

	it('refuses coordinators and another site’s code; no site means nothing', async () => {
		await cohort();
		const coord = await actorFor(t, 'coordinator', ['A1'], NOW);
		await expect(cohortDashboard(coord, {})).rejects.toBeInstanceOf(ForbiddenError);
		const inv = await actorFor(t, 'investigator', ['A1'], NOW);
		await expect(cohortDashboard(inv, { siteCode: 'B1' })).rejects.toBeInstanceOf(NotFoundError);
		const none = await actorFor(t, 'investigator', [], NOW);
		const empty = (await cohortDashboard(none, {}))!;
		expect(empty.participants).toBe(0);
		expect(at(empty.overall, 'FU1M').total.n).toBe(0);
		const admin = await actorFor(t, 'admin', [], NOW);
		expect(at((await cohortDashboard(admin, {}))!.overall, 'FU1M').total.n).toBe(5);
	});
});

// Time to relapse on the cohort page (DOMAIN-2.md §6): relapse after first remission by the
// protocol's rule (MADRS ≥ 22 at 2 consecutive assessments 5–15 days apart), Kaplan–Meier in weeks
// with censoring, overall for blinded viewers and by arm once the study is locked.
import { describe, expect, it } from 'vitest';
import { startDosingSession } from '../../src/lib/server/services/capture/dosing-sessions';
import { recordScaleAdministration } from '../../src/lib/server/services/capture/scales';
import { listVisits } from '../../src/lib/server/services/capture/visits';
import { relapseSurvival } from '../../src/lib/server/services/dashboards/relapse-survival';
import { participantTimeline } from '../../src/lib/server/services/dashboards/participant-timeline';
import { lockStudy } from '../../src/lib/server/services/monitoring/freeze-lock';
import { randomiseParticipant } from '../../src/lib/server/services/trial/randomisation';
import { actorFor, enrolledParticipant, type TestDb, freshDbEach } from '../helpers/db';

let t: TestDb;
const NOW = () => new Date('2026-12-10T18:00:00Z');
freshDbEach((db) => (t = db));

const madrs = (total: number) =>
	Object.fromEntries(
		Array.from({ length: 10 }, (_, i) => [
			String(i + 1),
			String(Math.floor(total / 10) + (i < total % 10 ? 1 : 0))
		])
	);

type Ctx = Awaited<ReturnType<typeof actorFor>>;

/** Baseline 36 before a dose on 25 Oct, then these totals (date → total) after it. */
async function participantWith(c: Ctx, after: Array<[string, number]>) {
	const p = await enrolledParticipant(t, 'A1', '2026-10-01');
	const visits = await listVisits(c, p.id);
	const bl = visits.find((v) => v.visit_code === 'BL')!;
	await recordScaleAdministration(c, p.id, {
		instrument: 'MADRS',
		visitId: String(bl.id),
		administeredAt: '2026-10-20T10:00',
		items: madrs(36)
	});
	await randomiseParticipant(c, p.id);
	await startDosingSession(c, p.id, {
		visitId: visits.find((v) => v.visit_code === 'DS1')!.id,
		t0: '2026-10-25T10:00',
		initialDoseMg: '120',
		deviationReason: 'test set-up'
	});
	for (const [date, total] of after) {
		await recordScaleAdministration(c, p.id, {
			instrument: 'MADRS',
			administeredAt: `${date}T10:00`,
			items: madrs(total)
		});
	}
	return p;
}

describe('relapse-free survival on the cohort page', () => {
	it('a relapse at 2 weeks, a censoring at 4, one never in remission; by arm only after lock', async () => {
		const c = await actorFor(t, 'coordinator', ['A1'], NOW);
		// Remission (8) on 1 Nov, then 25 and 26 a week apart: relapse dated 15 Nov, 2 weeks on.
		await participantWith(c, [
			['2026-11-01', 8],
			['2026-11-15', 25],
			['2026-11-22', 26]
		]);
		// Remission (9), a single 23 then back down: no relapse; censored at 29 Nov, 4 weeks on.
		await participantWith(c, [
			['2026-11-01', 9],
			['2026-11-10', 23],
			['2026-11-29', 12]
		]);
		await participantWith(c, [['2026-11-01', 30]]);

		const inv = await actorFor(t, 'investigator', ['A1'], NOW);
		const view = (await relapseSurvival(inv, {}))!;
		expect(view.remitted).toBe(2);
		expect(view.neverRemitted).toBe(1);
		expect(view.byArm).toBe(false);
		expect(view.curves.map((x) => x.group)).toEqual(['All participants']);
		const curve = view.curves[0]!.curve;
		expect(curve.steps.map((s) => [s.time, s.atRisk, s.events, s.censored])).toEqual([
			[2, 2, 1, 0],
			[4, 1, 0, 1]
		]);
		expect(curve.steps[0]!.survival).toBe(0.5);
		expect(curve.median).toBe(2);
		expect(view.rule).toMatch(/MADRS ≥ 22 at 2 consecutive assessments 5–15 days apart/);

		await lockStudy(await actorFor(t, 'admin', [], NOW), t.studyId, { reason: 'Analysis' });
		const locked = (await relapseSurvival(inv, {}))!;
		expect(locked.byArm).toBe(true);
		const byArm = locked.curves.slice(1);
		expect(byArm.reduce((n, x) => n + x.curve.n, 0)).toBe(2);
		expect(byArm.every((x) => /MDMA-assisted therapy|Placebo with therapy/.test(x.group))).toBe(
			true
		);
	});
});

describe('response, remission and relapse on the participant timeline', () => {
	it('marks them on the MADRS chart from the same detection as the cohort curve, with the rule and the follow-up in words', async () => {
		const c = await actorFor(t, 'coordinator', ['A1'], NOW);
		// Baseline 36; 17 is a response (≥ 50 % below), 8 and 9 remission held at two visits, then
		// 25 and 26 a week apart: relapse dated 22 Nov, three weeks after first remission.
		const p = await participantWith(c, [
			['2026-10-28', 17],
			['2026-11-01', 8],
			['2026-11-08', 9],
			['2026-11-22', 25],
			['2026-11-29', 26]
		]);
		const inv = await actorFor(t, 'investigator', ['A1'], NOW);
		const timeline = await participantTimeline(inv, p.id);
		const madrs = timeline.scales.find((s) => s.instrument === 'MADRS')!;
		const d = madrs.durability!;
		expect(d.markers.map((m) => [m.kind, m.date, m.onChart])).toEqual([
			['response', '2026-10-28', true],
			['remission', '2026-11-01', true],
			['sustained-remission', '2026-11-08', true],
			['relapse', '2026-11-22', true]
		]);
		expect(d.markers[3]!.detail).toMatch(/MADRS ≥ 22 at 2 consecutive assessments 5–15 days apart/);
		expect(d.rule).toBe((await relapseSurvival(inv, {}))!.rule);
		expect(d.followUp).toMatch(/^Relapse 21 days \(3 weeks\) after first remission on 2026-11-01/);
		// The data table's column: each assessment says what it marks.
		expect(madrs.points.map((x) => [x.label, x.outcome])).toEqual([
			['BL', ''],
			[expect.any(String), 'Response'],
			[expect.any(String), 'Remission'],
			[expect.any(String), 'Sustained remission'],
			[expect.any(String), 'Relapse'],
			[expect.any(String), '']
		]);
		// The cohort curve counts the same relapse, at 3 weeks.
		const curve = (await relapseSurvival(inv, {}))!.curves[0]!.curve;
		expect(curve.steps.map((x) => [x.time, x.events])).toEqual([[3, 1]]);
	});

	it('a participant never in remission gets no markers past response, and other scales none at all', async () => {
		const c = await actorFor(t, 'coordinator', ['A1'], NOW);
		const p = await participantWith(c, [['2026-11-01', 30]]);
		const timeline = await participantTimeline(c, p.id);
		const madrs = timeline.scales.find((s) => s.instrument === 'MADRS')!;
		expect(madrs.durability).toMatchObject({ markers: [], followUp: null });
		expect(
			timeline.scales.filter((s) => s.instrument !== 'MADRS').every((s) => !s.durability)
		).toBe(true);
	});
});

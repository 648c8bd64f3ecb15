import { beforeEach, describe, expect, it } from 'vitest';
import { ForbiddenError } from '../../src/lib/server/runtime/errors';
import { safetySignalsPage } from '../../src/lib/server/services/dashboards/dashboard-views';
import { viewsMade } from '../../src/lib/server/services/dashboards/view-cache';
import {
	markAdverseEventEnteredInError,
	recordAdverseEvent
} from '../../src/lib/server/services/capture/adverse-events';
import { startDosingSession } from '../../src/lib/server/services/capture/dosing-sessions';
import {
	safetySignals,
	type IncidenceLine
} from '../../src/lib/server/services/dashboards/safety-signals';
import { listVisits } from '../../src/lib/server/services/capture/visits';
import { correctVitals, recordVitals } from '../../src/lib/server/services/capture/vitals';
import { actorFor, enrolledParticipant, type TestDb, freshDbEach } from '../helpers/db';
import { noCriteria } from '../helpers/fixtures';

let t: TestDb;
let clock: number;
const now = () => new Date(clock);
freshDbEach((db) => (t = db));
beforeEach(() => {
	clock = Date.parse('2026-11-01T12:00:00Z');
});

type Site = 'A1' | 'B1';
/** Site A1 is Oslo (UTC+1 in November), B1 New York (UTC−5). */
const UTC_OFFSET: Record<Site, number> = { A1: 1, B1: -5 };
const BASELINE = { timepoint: -30, takenAt: '09:30', systolic: 122, diastolic: 80, heartRate: 70 };

/** A dosing session at 10:00 site time on `day`, with the pre-dose reading and one at 30 min. */
async function session(
	site: Site,
	p: { id: number },
	visitCode: string,
	day: string,
	at30: Record<string, unknown>
) {
	const c = await actorFor(t, 'coordinator', [site], now);
	// Just after the 30-minute reading falls due: nothing is late yet.
	clock = Date.parse(`${day}T10:31:00Z`) - UTC_OFFSET[site] * 3_600_000;
	const visit = (await listVisits(c, p.id)).find((v) => v.visit_code === visitCode)!;
	const s = await startDosingSession(c, p.id, {
		visitId: visit.id,
		t0: `${day}T10:00`,
		initialDoseMg: 120,
		deviationReason: 'test set-up'
	});
	await recordVitals(c, s.id, { ...BASELINE, temperature: 36.8 });
	const r = await recordVitals(c, s.id, { timepoint: 30, takenAt: '10:30', ...at30 });
	return { c, s, r };
}

async function ae(
	site: Site,
	p: { id: number },
	code: string | null,
	grade: number,
	serious = false
) {
	clock = Date.parse('2026-12-01T18:00:00Z');
	const c = await actorFor(t, 'coordinator', [site], now);
	return recordAdverseEvent(c, p.id, {
		verbatimTerm: code ?? 'odd metallic taste',
		codedTermCode: code ?? '',
		onsetAt: '2026-11-30T09:30',
		awareAt: '2026-11-30T10:00',
		severity: String(grade),
		criteria: serious ? { ...noCriteria, hospitalisation: 'yes' } : noCriteria,
		relatedness: 'possible',
		expectedness: 'expected',
		actionTaken: 'dose-not-changed',
		outcome: 'recovering'
	});
}

/**
 * A1: P1 dosed twice, P2 and P3 once, P4 never; B1: P5 once. So at A1 3 participants dosed in
 * 4 sessions; with B1, 4 in 5.
 */
async function trial() {
	const [p1, p2, p3, p4] = [
		await enrolledParticipant(t, 'A1', '2026-10-01'),
		await enrolledParticipant(t, 'A1', '2026-10-01'),
		await enrolledParticipant(t, 'A1', '2026-10-01'),
		await enrolledParticipant(t, 'A1', '2026-10-01')
	];
	const p5 = await enrolledParticipant(t, 'B1', '2026-10-01');
	// SBP 172 (+50), DBP 95: systolic action, diastolic notify, systolic rise ≥ 40 → 3 breaches.
	await session('A1', p1, 'DS1', '2026-11-20', { systolic: 172, diastolic: 95, heartRate: 96 });
	await session('A1', p1, 'DS2', '2026-11-27', { systolic: 125, diastolic: 82, heartRate: 75 });
	// HR 120 (+50): heart-rate action and rise ≥ 30 → 2 breaches; 37.1 °C is below every band.
	await session('A1', p2, 'DS1', '2026-11-20', {
		systolic: 130,
		diastolic: 84,
		heartRate: 120,
		temperature: 37.1
	});
	// SBP 165 typed for 126: its two flags close themselves on correction → no breach.
	const typo = await session('A1', p3, 'DS1', '2026-11-21', { systolic: 165, diastolic: 85 });
	await correctVitals(typo.c, typo.r.id, {
		timepoint: 30,
		takenAt: '10:30',
		systolic: 126,
		diastolic: 85,
		reason: 'typed 165 for 126'
	});
	// B1: SBP 185 urgent and rise +63 → 2 breaches.
	await session('B1', p5, 'DS1', '2026-11-20', { systolic: 185, diastolic: 88, confirmed: true });

	await ae('A1', p1, 'VIG-0003', 1); // nausea
	await ae('A1', p1, 'VIG-0003', 2); // nausea again: P1's worst nausea is grade 2
	await ae('A1', p2, 'VIG-0003', 3);
	await ae('A1', p2, 'VIG-0014', 1); // headache
	await ae('A1', p3, 'VIG-0111', 2); // hypertension: special interest, cardiovascular
	await ae('A1', p3, null, 1); // not coded
	const wrong = await ae('A1', p3, 'VIG-0003', 4);
	const c = await actorFor(t, 'coordinator', ['A1'], now);
	await markAdverseEventEnteredInError(c, wrong.id, { reason: 'wrong participant' });
	await ae('A1', p4, 'VIG-0003', 1); // never dosed: not in the incidence
	await ae('B1', p5, 'VIG-0003', 1, true); // serious
}

const line = (lines: IncidenceLine[], key: string | null) => lines.find((l) => l.key === key)!;

describe('adverse-event incidence', () => {
	it('counts participants with ≥ 1 among those dosed, by term, worst grade and site', async () => {
		await trial();
		const inv = await actorFor(t, 'investigator', ['A1'], now);
		const view = (await safetySignals(inv, {}))!;
		expect(view.dosed).toMatchObject({ participants: 3, sessions: 4 });
		// Nausea: P1 (2 events, worst 2) and P2 (worst 3) of 3 dosed = 66.7 %; Wilson 2/3.
		const nausea = line(view.terms, 'VIG-0003');
		expect(nausea).toMatchObject({ label: 'Nausea', events: 3, withSerious: 0 });
		expect(nausea.incidence).toMatchObject({ count: 2, of: 3 });
		expect(nausea.incidence.p).toBeCloseTo(2 / 3, 12);
		// 2/3: z²/n = 1.2805; centre (0.6667 + 0.6402) / 2.2805 = 0.5731; half 0.3654 → [0.2077, 0.9385]
		expect(nausea.incidence.ci!.lower).toBeCloseTo(0.2077, 4);
		expect(nausea.incidence.ci!.upper).toBeCloseTo(0.9385, 4);
		expect(nausea.byWorstGrade).toEqual([0, 0, 1, 1, 0, 0]);
		expect(view.terms[0]!.key).toBe('VIG-0003'); // most frequent first
		expect(line(view.terms, 'VIG-0014').incidence).toMatchObject({ count: 1, of: 3 });
		expect(line(view.terms, null)).toMatchObject({ label: expect.stringContaining('Not coded') });
		// Any AE: P1 worst 2, P2 worst 3, P3 worst 2 → 3/3.
		expect(view.anyAe.incidence).toMatchObject({ count: 3, of: 3, p: 1 });
		expect(view.anyAe.byWorstGrade).toEqual([0, 0, 2, 1, 0, 0]);
		expect(view.terms.map((l) => l.bySite.map((s) => s.siteCode))[0]).toEqual(['A1']);
	});

	it('reports AEs of special interest by category, with zero rows for the rest', async () => {
		await trial();
		const inv = await actorFor(t, 'investigator', ['A1'], now);
		const { specialInterest } = (await safetySignals(inv, {}))!;
		expect(line(specialInterest, 'cardiovascular').incidence).toMatchObject({ count: 1, of: 3 });
		expect(line(specialInterest, 'suicidality').incidence).toMatchObject({ count: 0, of: 3 });
		expect(specialInterest).toHaveLength(5);
	});

	it('another site’s participants count only for a reader of both sites', async () => {
		await trial();
		const aud = await actorFor(t, 'auditor', ['A1', 'B1'], now);
		const view = (await safetySignals(aud, {}))!;
		expect(view.dosed).toMatchObject({ participants: 4, sessions: 5 });
		const nausea = line(view.terms, 'VIG-0003');
		expect(nausea.incidence).toMatchObject({ count: 3, of: 4 });
		expect(nausea.withSerious).toBe(1);
		expect(nausea.bySite).toEqual([
			{ siteCode: 'A1', incidence: expect.objectContaining({ count: 2, of: 3 }) },
			{ siteCode: 'B1', incidence: expect.objectContaining({ count: 1, of: 1 }) }
		]);
		const coord = await actorFor(t, 'coordinator', ['A1'], now);
		await expect(safetySignals(coord, {})).rejects.toBeInstanceOf(ForbiddenError);
	});
});

describe('vital-sign breaches and peaks', () => {
	it('counts standing breaches per 100 dosing sessions by rule and site', async () => {
		await trial();
		const inv = await actorFor(t, 'investigator', ['A1'], now);
		const { breaches } = (await safetySignals(inv, {}))!;
		// 5 breaches in 4 sessions: 500 / 4 = 125 per 100; each rule once: 100 / 4 = 25.
		expect(breaches.bySite).toEqual([{ siteCode: 'A1', sessions: 4, breaches: 5, per100: 125 }]);
		const byRule = Object.fromEntries(breaches.byRule.map((r) => [r.ruleId, r.per100]));
		expect(byRule).toEqual({
			'vitals.systolic.high.action': 25,
			'vitals.diastolic.high.notify': 25,
			'vitals.heartRate.high.action': 25,
			'vitals-change.systolic.absolute.rise.action': 25,
			'vitals-change.heartRate.absolute.rise.action': 25
		});
		const sbp = breaches.byRule.find((r) => r.ruleId === 'vitals.systolic.high.action')!;
		expect(sbp.label).toBe('Systolic pressure ≥ 160 mmHg (action)');

		const aud = await actorFor(t, 'auditor', ['A1', 'B1'], now);
		const both = (await safetySignals(aud, {}))!.breaches;
		// B1: 2 breaches in 1 session = 200 per 100.
		expect(both.bySite[1]).toEqual({ siteCode: 'B1', sessions: 1, breaches: 2, per100: 200 });
	});

	it('bins each session’s peak exactly at the edges', async () => {
		await trial();
		const inv = await actorFor(t, 'investigator', ['A1'], now);
		const { peaks } = (await safetySignals(inv, {}))!;
		const bins = (m: string) =>
			peaks.find((p) => p.measure === m)!.bins.map((b) => [b.lower, b.sessions]);
		// Peaks SBP 172, 125, 130, 126 (after correction) → 120–130: 2, 130–140: 1, 170–180: 1.
		expect(bins('systolic')).toEqual([
			[120, 2],
			[130, 1],
			[170, 1]
		]);
		// Temperature peaks 36.8, 36.8, 37.1, 36.8 in 0.2 °C bins → [36.8, 37.0): 3, [37.0, 37.2): 1.
		expect(bins('temperature')).toEqual([
			[36.8, 3],
			[37, 1]
		]);
		expect(peaks.find((p) => p.measure === 'systolic')).toMatchObject({
			sessions: 4,
			actionThreshold: 160
		});
	});
});

describe('the page’s view, made once per state of the data (view-cache.ts)', () => {
	it('is shared by viewers alike and by views at once; a save, a correction or an entry in error shows in the next view', async () => {
		await trial();
		const inv = await actorFor(t, 'investigator', ['A1'], now);
		const colleague = await actorFor(t, 'investigator', ['A1'], now);
		const made = viewsMade(inv);
		const first = (await safetySignalsPage(inv, {}))!;
		expect(first.anyAe).toMatchObject({ count: 3, of: 3, events: 6 });
		expect(await safetySignalsPage(colleague, {})).toBe(first);
		const together = await Promise.all(
			Array.from({ length: 10 }, () => safetySignalsPage(inv, {}))
		);
		expect(together.every((v) => v === first)).toBe(true);
		expect(viewsMade(inv)).toBe(made + 1);

		// A new AE at A1: counted by the next view.
		const saved = await ae('A1', await dosedAtA1(0), 'VIG-0014', 2);
		const afterSave = (await safetySignalsPage(inv, {}))!;
		expect(afterSave.anyAe.events).toBe(7);
		expect(afterSave.terms.find((r) => r.key === 'VIG-0014')).toMatchObject({ events: 2 });
		// Entered in error: not counted again.
		const c = await actorFor(t, 'coordinator', ['A1'], now);
		await markAdverseEventEnteredInError(c, saved.id, { reason: 'wrong participant' });
		expect((await safetySignalsPage(colleague, {}))!.anyAe.events).toBe(6);
		// Breaches corrected away (the reading was mistyped): the next view no longer counts them.
		const breaches = (v: typeof first) => v.breachesByRule.reduce((a, r) => a + r.breaches, 0);
		const before = breaches((await safetySignalsPage(inv, {}))!);
		const typo = await session('A1', await dosedAtA1(1), 'DS2', '2026-11-27', {
			systolic: 170,
			diastolic: 84
		});
		// 170 mmHg: the systolic band and the rise from baseline.
		expect(breaches((await safetySignalsPage(inv, {}))!)).toBe(before + 2);
		await correctVitals(typo.c, typo.r.id, {
			timepoint: 30,
			takenAt: '10:30',
			systolic: 130,
			diastolic: 84,
			reason: 'Transcription error'
		});
		expect(breaches((await safetySignalsPage(inv, {}))!)).toBe(before);
	});

	it('another site’s reader, an auditor of both sites or the admin never get a view made for someone else', async () => {
		await trial();
		const invA = await actorFor(t, 'investigator', ['A1'], now);
		const invB = await actorFor(t, 'investigator', ['B1'], now);
		const both = await actorFor(t, 'auditor', ['A1', 'B1'], now);
		const admin = await actorFor(t, 'admin', [], now);
		const a = (await safetySignalsPage(invA, {}))!;
		const b = (await safetySignalsPage(invB, {}))!;
		expect(a.options.sites.map((s) => s.code)).toEqual(['A1']);
		expect(a.dosed).toMatchObject({ participants: 3, sessions: 4 });
		expect(b.options.sites.map((s) => s.code)).toEqual(['B1']);
		expect(b.dosed).toMatchObject({ participants: 1, sessions: 1 });
		expect((await safetySignalsPage(both, {}))!.dosed).toMatchObject({ participants: 4 });
		expect((await safetySignalsPage(admin, {}))!.options.sites.map((s) => s.code)).toEqual([
			'A1',
			'B1'
		]);
		// Each filter is a view of its own.
		expect((await safetySignalsPage(admin, { siteCode: 'B1' }))!.dosed).toMatchObject({
			participants: 1
		});
		const coord = await actorFor(t, 'coordinator', ['A1'], now);
		await expect(safetySignalsPage(coord, {})).rejects.toBeInstanceOf(ForbiddenError);
	});
});

/** A participant dosed at A1 in trial(): the first enrolled there (P1), or the second (P2). */
async function dosedAtA1(nth: 0 | 1) {
	const rows = await t.db
		.selectFrom('participant')
		.select('id')
		.where('site_id', '=', t.siteA)
		.orderBy('id')
		.execute();
	return rows[nth]!;
}

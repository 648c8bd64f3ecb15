// The site overview's aggregates, counted in SQL, against a database built through the services.
// Site A1 is Europe/Oslo (UTC+1 in November): "now" is 11:31 there on 2026-11-20.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoProtocol } from '../../src/lib/domain/protocol';
import { NotFoundError } from '../../src/lib/server/runtime/errors';
import { recordAdverseEvent } from '../../src/lib/server/services/capture/adverse-events';
import {
	startDosingSession,
	updateDosingSession
} from '../../src/lib/server/services/capture/dosing-sessions';
import { listFlags } from '../../src/lib/server/services/safety/flags';
import { createParticipant } from '../../src/lib/server/services/capture/participants';
import {
	siteOverview,
	type SiteOverview
} from '../../src/lib/server/services/dashboards/site-overview';
import {
	overdueVisitsPage,
	listVisits,
	recordVisit
} from '../../src/lib/server/services/capture/visits';
import {
	markVitalsEnteredInError,
	recordVitals
} from '../../src/lib/server/services/capture/vitals';
import { actorFor, enrolledParticipant, freshDb, type TestDb } from '../helpers/db';
import { noCriteria } from '../helpers/fixtures';

const now = () => new Date('2026-11-20T10:31:00Z');
const VISITS_PER_PARTICIPANT = demoProtocol().visits.length;
const sae = (onsetAt: string, awareAt: string) => ({
	verbatimTerm: 'admitted overnight',
	codedTermCode: 'VIG-0003',
	onsetAt,
	awareAt,
	severity: '2',
	criteria: { ...noCriteria, hospitalisation: 'yes' },
	relatedness: 'possible',
	expectedness: 'expected',
	actionTaken: 'dose-not-changed',
	outcome: 'recovering'
});

let t: TestDb;
let coordinatorA: Awaited<ReturnType<typeof actorFor>>;
let overview: SiteOverview;
const ids: Record<string, number> = {};

async function visit(ctx: typeof coordinatorA, participantId: number, code: string) {
	return (await listVisits(ctx, participantId)).find((v) => v.visit_code === code)!;
}

async function session(ctx: typeof coordinatorA, participantId: number, code: string, t0: string) {
	const v = await visit(ctx, participantId, code);
	return startDosingSession(ctx, participantId, {
		visitId: v.id,
		t0,
		initialDoseMg: 120,
		deviationReason: 'test set-up'
	});
}

/** P1: today's session with three readings, one late and one entered in error; visits kept. */
async function seedP1(c: typeof coordinatorA) {
	const p = await enrolledParticipant(t, 'A1', '2026-10-01');
	ids.p1 = p.id;
	await recordVisit(c, (await visit(c, p.id, 'SCR')).id, {
		status: 'completed',
		actualOn: '2026-10-01',
		deviationReason: 'test set-up'
	});
	await recordVisit(c, (await visit(c, p.id, 'BL')).id, {
		status: 'completed',
		actualOn: '2026-10-22',
		deviationReason: 'test set-up'
	});
	await recordVisit(c, (await visit(c, p.id, 'PREP1')).id, {
		status: 'missed',
		missedReason: 'ill'
	});
	// PREP2 (window to 11-08) and PREP3 (to 11-15) stay open: overdue.
	const s = await session(c, p.id, 'DS1', '2026-11-20T10:00');
	ids.s1 = s.id;
	const base = { systolic: 122, diastolic: 80, heartRate: 70, temperature: 36.8 };
	await recordVitals(c, s.id, { timepoint: -30, takenAt: '09:30', ...base });
	// SBP ≥ 140: notify.
	await recordVitals(c, s.id, {
		timepoint: 30,
		takenAt: '10:30',
		systolic: 150,
		diastolic: 85,
		heartRate: 90
	});
	// HR > 115 and +50 from baseline: two action flags.
	await recordVitals(c, s.id, {
		timepoint: 60,
		takenAt: '11:00',
		systolic: 130,
		diastolic: 82,
		heartRate: 120,
		temperature: 37
	});
	const wrong = await recordVitals(c, s.id, {
		timepoint: 90,
		takenAt: '11:30',
		systolic: 125,
		diastolic: 80,
		heartRate: 80
	});
	await markVitalsEnteredInError(c, wrong.id, { reason: 'typed into the wrong session' });
	// A recheck a minute after 90 fell due answers no timepoint: 90 stays late (the overview
	// does not read rechecks at all).
	await recordVitals(c, s.id, { timepoint: 'unscheduled', takenAt: '11:31', ...base });
	await recordAdverseEvent(c, p.id, sae('2026-11-20T10:40', '2026-11-20T11:00'));
}

/** P2: an ended session two days ago, and last night's session still running past midnight. */
async function seedP2(c: typeof coordinatorA) {
	const p = await enrolledParticipant(t, 'A1', '2026-11-10');
	await recordVisit(c, (await visit(c, p.id, 'SCR')).id, {
		status: 'completed',
		actualOn: '2026-11-10',
		deviationReason: 'test set-up'
	});
	const old = await session(c, p.id, 'DS2', '2026-11-18T10:00');
	await updateDosingSession(c, old.id, { endedAt: '2026-11-18T18:00' });
	await recordVisit(c, (await visit(c, p.id, 'INT2a')).id, {
		status: 'completed',
		actualOn: '2026-11-19',
		deviationReason: 'test set-up'
	});
	ids.s2 = (await session(c, p.id, 'DS1', '2026-11-19T21:00')).id;
}

/** Site B1 (New York): a session today, an SAE, flags and a missed visit, never counted at A1. */
async function seedB1() {
	const c = await actorFor(t, 'coordinator', ['B1'], now);
	const p = await enrolledParticipant(t, 'B1', '2026-10-01');
	await recordVisit(c, (await visit(c, p.id, 'SCR')).id, {
		status: 'missed',
		missedReason: 'away'
	});
	const s = await session(c, p.id, 'DS1', '2026-11-20T04:00');
	await recordVitals(c, s.id, {
		timepoint: -30,
		takenAt: '03:30',
		systolic: 185,
		diastolic: 125,
		heartRate: 135,
		temperature: 39.5
	});
	await recordAdverseEvent(c, p.id, sae('2026-11-20T04:10', '2026-11-20T04:30'));
}

beforeAll(async () => {
	t = await freshDb();
	coordinatorA = await actorFor(t, 'coordinator', ['A1'], now);
	await seedP1(coordinatorA);
	await seedP2(coordinatorA);
	await createParticipant(
		{ ...t.system },
		{ studyId: t.studyId, siteId: t.siteA },
		{ subjectCode: 'A1-900', sex: 'M', birthYear: 1990, doseGroup: '120 mg', status: 'screening' }
	);
	await seedB1();
	overview = await siteOverview(await actorFor(t, 'investigator', ['A1'], now), 'a1');
});
afterAll(async () => {
	await t.db.destroy();
});

describe("today's dosing sessions", () => {
	it("lists today's session and last night's running one, not older or other sites' sessions", () => {
		expect(overview.today).toBe('2026-11-20');
		expect(overview.sessions.map((s) => s.id)).toEqual([ids.s2, ids.s1]);
	});

	it('counts readings done against those due, late ones, and open flags by level', () => {
		const today = overview.sessions.find((s) => s.id === ids.s1)!;
		// -30, 30 and 60 taken; 90 fell due at 11:30 and its only reading was entered in error.
		expect(today).toMatchObject({
			state: 'running',
			t0: '2026-11-20 10:00',
			done: 3,
			due: 4,
			late: 1
		});
		expect(today.flags).toEqual({ urgent: 0, action: 2, notify: 1 });
		const overnight = overview.sessions.find((s) => s.id === ids.s2)!;
		// T0 21:00 yesterday: all ten timed readings (−30 to 420 min) are past and missing.
		expect(overnight).toMatchObject({ state: 'running', done: 0, due: 10, late: 10 });
		expect(overnight.flags).toEqual({ urgent: 0, action: 0, notify: 0 });
	});

	it('lists every late reading, most overdue first', () => {
		expect(overview.lateReadings).toHaveLength(11);
		expect(overview.lateReadings[0]).toMatchObject({ sessionId: ids.s2, minutesLate: 901 });
		expect(overview.lateReadings.at(-1)).toMatchObject({
			sessionId: ids.s1,
			timepoint: '1.5 H POST-DOSE (PRE-SUPPLEMENTAL)',
			scheduledAt: '11:30',
			minutesLate: 1
		});
	});
});

describe('site-wide counts', () => {
	it('open flags by level match the flag list of the site', async () => {
		// P1's session (notify, 2 × action), the SAE (urgent), and P2's old session, which ended
		// with none of its 11 readings taken (11 × missed-reading notify).
		expect(overview.flags).toEqual({ urgent: 1, action: 2, notify: 12 });
		const open = await listFlags(coordinatorA, { siteId: t.siteA, open: true });
		expect(open).toHaveLength(15);
		expect(open.filter((f) => f.ruleId === 'vitals.missed-reading').length).toBe(11);
	});

	it('counts enrolment by status', () => {
		expect(overview.enrolment).toEqual({ screening: 1, enrolled: 2, withdrawn: 0, completed: 0 });
	});

	it('counts visits done, missed, overdue and upcoming', async () => {
		// P1: SCR, BL, DS1 done; PREP1 missed; PREP2, PREP3 overdue. P2: SCR, DS2, INT2a, DS1 done.
		expect(overview.visits).toEqual({
			done: 7,
			missed: 1,
			overdue: 2,
			upcoming: 2 * VISITS_PER_PARTICIPANT - 10
		});
		const listed = (await overdueVisitsPage(coordinatorA, t.siteA)).visits;
		expect(overview.overdueVisits.map((v) => v.visitCode)).toEqual(listed.map((v) => v.visitCode));
		expect(listed.map((v) => v.visitCode)).toEqual(['PREP2', 'PREP3']);
	});

	it('visit counts follow a recorded visit and the site’s date at once (they are kept by the audit head)', async () => {
		const inv = await actorFor(t, 'investigator', ['A1'], now);
		const before = (await siteOverview(inv, 'A1')).visits;
		expect((await siteOverview(inv, 'A1')).visits).toEqual(before);
		// A later date: windows that were open have closed.
		const later = (
			await siteOverview({ ...inv, now: () => new Date('2027-06-01T12:00:00Z') }, 'A1')
		).visits;
		expect(later.overdue).toBeGreaterThan(before.overdue);
		const p1 = (await siteOverview(inv, 'A1')).overdueVisits[0]!;
		await recordVisit(coordinatorA, p1.visitId, { status: 'missed', missedReason: 'ill' });
		const after = (await siteOverview(inv, 'A1')).visits;
		expect(after).toEqual({ ...before, missed: before.missed + 1, overdue: before.overdue - 1 });
	});

	it('shows the open SAE clock of this site only', () => {
		expect(overview.saeClocks).toHaveLength(1);
		expect(overview.saeClocks[0]).toMatchObject({
			participantId: ids.p1,
			dueAt: '2026-11-21T10:00:00.000Z',
			overdue: false
		});
	});

	it("site B1's overview counts its own records", async () => {
		const b = await siteOverview(await actorFor(t, 'auditor', ['B1'], now), 'B1');
		expect(b.sessions).toHaveLength(1);
		expect(b.saeClocks).toHaveLength(1);
		expect(b.visits.missed).toBe(1);
		expect(b.enrolment.enrolled).toBe(1);
	});
});

describe('access', () => {
	it('answers "not found" for a site the user does not hold, and for no site', async () => {
		const other = await actorFor(t, 'coordinator', ['B1'], now);
		await expect(siteOverview(other, 'A1')).rejects.toBeInstanceOf(NotFoundError);
		await expect(siteOverview(coordinatorA, 'ZZ')).rejects.toBeInstanceOf(NotFoundError);
	});
});

// A dosing session as the coordinator types it: the session opened a few minutes after T0, the
// pre-dose C-SSRS, each reading as it is taken, the supplemental dose, the end, and the session's
// adverse events (with their resolution entered later when they outlast the entry).
import { compare, type IsoDate } from '../../domain/protocol';
import type { Visit } from '../db/schema';
import { correctAdverseEvent, recordAdverseEvent } from '../services/capture/adverse-events';
import { startDosingSession, updateDosingSession } from '../services/capture/dosing-sessions';
import { recordVitals } from '../services/capture/vitals';
import { sessionAdverseEvents, type AeDraft } from './adverse-events';
import { confirmingDeviations } from './deviations';
import { contextAt, type ParticipantRun } from './env';
import { addScaleSteps, scalesForVisit } from './scale-steps';
import { planSession, type PlannedReading, type SessionPlan } from './session-plan';
import { iso, localMoment, MINUTE } from './site-clock';
import { drawSessionPhysiology } from './vitals-curve';

interface Open {
	run: ParticipantRun;
	plan: SessionPlan;
	/** Set when the session is saved. */
	sessionId: number;
}

export function planDosing(
	run: ParticipantRun,
	v: Visit,
	day: IsoDate,
	next: (at: number) => Promise<void>
): void {
	const { protocol } = run.env;
	// T0 at a local morning time, 08:30–10:00 (an 8-hour session, DOMAIN.md §1) [D]
	const t0 = localMoment(day, run.rng.int(17, 20) * 30, run.site.timezone);
	const physiology = drawSessionPhysiology(run.rng, run.profile.resting);
	const plan = planSession(run.rng, protocol, physiology, {
		t0,
		initialDoseMg: run.profile.initialDoseMg
	});
	const s: Open = { run, plan, sessionId: 0 };
	const scales = protocol.visits.find((p) => p.code === v.visit_code)?.scales ?? [];
	const preDose = scalesForVisit(run, day, scales);
	run.agenda.add(plan.startEnterAt, async (now) => {
		await start(s, v, now);
		run.firstDoseDay ??= day;
		// The pre-dose C-SSRS, given 40 min before T0 (DOMAIN.md §1: C-SSRS in session) [D]
		const givenAt = t0 - 40 * MINUTE;
		addScaleSteps(run, { visitId: v.id, from: now, givenAt, scales: preDose }, () =>
			Promise.resolve()
		);
	});
	for (const r of plan.readings) run.agenda.add(r.enterAt, (now) => reading(s, r, now));
	run.agenda.add(plan.supplemental.enterAt, (now) => supplemental(s, now));
	run.agenda.add(plan.endEnterAt, async (now) => {
		await updateDosingSession(contextAt(run, now), s.sessionId, {
			endedAt: iso(plan.endedAt),
			notDone: plan.notDone
		});
		await next(now);
	});
	for (const ae of sessionAdverseEvents(run.rng, protocol, plan)) {
		run.agenda.add(ae.enterAt, (now) => adverseEvent(s, ae, now));
	}
}

async function start(s: Open, v: Visit, now: number): Promise<void> {
	const session = await confirmingDeviations((deviationReason) =>
		startDosingSession(contextAt(s.run, now), s.run.id, {
			visitId: v.id,
			t0: iso(s.plan.t0),
			initialDoseMg: s.plan.initialDoseMg,
			deviationReason
		})
	);
	s.sessionId = session.id;
	s.run.env.summary.dosingSessions += 1;
	s.run.env.summary.visitsCompleted += 1;
}

async function reading(s: Open, r: PlannedReading, now: number): Promise<void> {
	await recordVitals(contextAt(s.run, now), s.sessionId, {
		timepoint: r.timepoint,
		takenAt: iso(r.takenAt),
		systolic: r.values.systolic,
		diastolic: r.values.diastolic,
		heartRate: r.values.heartRate,
		temperature: r.values.temperature,
		temperatureUnit: 'C',
		position: r.position,
		confirmed: r.confirmed
	});
	const summary = s.run.env.summary;
	summary.vitalReadings += 1;
	if (r.timepoint === 'unscheduled') summary.unscheduledReadings += 1;
	const action = s.run.env.protocol.safetyRules.vitals.systolic.high.action;
	if (r.values.systolic !== null && compare(r.values.systolic, action)) {
		summary.systolicAtAction += 1;
	}
}

async function supplemental(s: Open, now: number): Promise<void> {
	const plan = s.plan.supplemental;
	const input = plan.given
		? { supplemental: 'given', supplementalDoseMg: plan.doseMg, supplementalAt: iso(plan.at) }
		: { supplemental: 'not-given', supplementalNotGivenReason: plan.reason };
	await updateDosingSession(contextAt(s.run, now), s.sessionId, input);
	if (!plan.given) s.run.env.summary.supplementalNotGiven += 1;
}

async function adverseEvent(s: Open, ae: AeDraft, now: number): Promise<void> {
	const { run } = s;
	const view = await recordAdverseEvent(contextAt(run, now), run.id, {
		...ae.input,
		dosingSessionId: s.sessionId
	});
	run.env.summary.adverseEvents += 1;
	if (ae.serious) run.env.summary.seriousAdverseEvents += 1;
	const end = ae.resolution;
	if (!end) return;
	run.agenda.add(end.enterAt, async (at) => {
		await correctAdverseEvent(contextAt(run, at), view.id, {
			...ae.input,
			dosingSessionId: s.sessionId,
			outcome: 'recovered',
			endAt: iso(end.endAt),
			reason: 'Resolution reported by the participant; end date-time added.'
		});
	});
}

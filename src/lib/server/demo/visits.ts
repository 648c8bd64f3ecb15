// A participant's way through the protocol's visits: each is done within its window (on a weekday
// where the window allows), sometimes missed with a reason, and — recently — sometimes not yet
// entered, so the overdue list has something on it. Reads the schedule from the database, as the
// services reschedule it after every actual date.
import { addDays, daysBetween, type IsoDate } from '../../domain/protocol';
import type { Visit } from '../db/schema';
import { changeParticipantStatus } from '../services/capture/participants';
import { listVisits, recordVisit } from '../services/capture/visits';
import { confirmingDeviations } from './deviations';
import { planDosing } from './dosing';
import { contextAt, type ParticipantRun } from './env';
import { missedReason, withdrawalReason } from './profile';
import { addScaleSteps, scalesForVisit } from './scale-steps';
import { HOUR, isWeekend, localDay, localMoment, MINUTE } from './site-clock';

type Fate = 'done' | 'missed' | 'not-entered';

function fateOf(run: ParticipantRun, v: Visit, kind: string): Fate {
	if (kind === 'screening' || kind === 'baseline' || kind === 'dosing') return 'done';
	const today = run.site.today;
	const end = v.window_end ?? v.planned_on ?? today;
	// A fifth of visits whose window closed in the last 40 days are still to be entered [D]
	if (end < today && daysBetween(end, today) <= 40 && run.rng.chance(0.2)) return 'not-entered';
	return run.rng.chance(0.04) ? 'missed' : 'done'; // about 1 visit in 25 missed [D]
}

/** A day near the planned one, inside the window; weekends rarely (clinics work weekdays). */
function chooseDay(run: ParticipantRun, v: Visit): IsoDate {
	const planned = v.planned_on!;
	const from = v.window_start! > addDays(planned, -2) ? v.window_start! : addDays(planned, -2);
	const to = v.window_end! < addDays(planned, 3) ? v.window_end! : addDays(planned, 3);
	const days: Array<readonly [IsoDate, number]> = [];
	for (let d = from; d <= to; d = addDays(d, 1)) {
		const weight = Math.exp(-0.7 * Math.abs(daysBetween(planned, d)));
		days.push([d, isWeekend(d) ? weight * 0.05 : weight]);
	}
	return days.length > 0 ? run.rng.weighted(days) : planned;
}

/** Plans the visits from index `from` on, as seen at instant `at`. */
export async function planVisits(run: ParticipantRun, from: number, at: number): Promise<void> {
	const visits = await listVisits(contextAt(run, at), run.id);
	const last = visits.length - 1;
	for (let k = from; k < visits.length; k++) {
		const v = visits[k]!;
		if (v.status !== 'scheduled') continue;
		if (run.profile.withdrawAtVisit === k) return planWithdrawal(run, v, at);
		const fate = fateOf(run, v, v.kind);
		if (fate === 'missed') planMissed(run, v, k === last);
		if (fate !== 'done') continue;
		const next = (t: number) => (k === last ? complete(run, t) : planVisits(run, k + 1, t));
		const day = chooseDay(run, v);
		if (v.kind === 'dosing') return planDosing(run, v, day, next);
		return planVisitDone(run, v, day, at, next);
	}
}

function planVisitDone(
	run: ParticipantRun,
	v: Visit,
	day: IsoDate,
	at: number,
	next: (at: number) => Promise<void>
): void {
	const scales = run.env.protocol.visits.find((p) => p.code === v.visit_code)?.scales ?? [];
	const minute = run.rng.int(17, 31) * 30; // 08:30–15:30 local [D]
	const visitAt = Math.max(localMoment(day, minute, run.site.timezone), at + 30 * MINUTE);
	// Typed in after the visit: the scales take ~8 min each, then a short wait [D]
	const enterAt = visitAt + (15 + 8 * scales.length + run.rng.uniform(5, 90)) * MINUTE;
	run.agenda.add(enterAt, async (now) => {
		const actualOn = localDay(visitAt, run.site.timezone);
		await confirmingDeviations((deviationReason) =>
			recordVisit(contextAt(run, now), v.id, { status: 'completed', actualOn, deviationReason })
		);
		run.env.summary.visitsCompleted += 1;
		const planned = scalesForVisit(run, actualOn, scales);
		addScaleSteps(
			run,
			{ visitId: v.id, from: now, givenAt: visitAt + 10 * MINUTE, scales: planned },
			next
		);
	});
}

function planMissed(run: ParticipantRun, v: Visit, last: boolean): void {
	// Recorded as missed a few days after the window closed [D]
	const day = addDays(v.window_end!, run.rng.int(1, 5));
	const at = localMoment(day, run.rng.int(9 * 60, 16 * 60), run.site.timezone);
	run.agenda.add(at, async (now) => {
		await recordVisit(contextAt(run, now), v.id, {
			status: 'missed',
			missedReason: missedReason(run.rng)
		});
		run.env.summary.visitsMissed += 1;
		if (last) await complete(run, now);
	});
}

function planWithdrawal(run: ParticipantRun, v: Visit, at: number): void {
	const when = localMoment(v.planned_on!, run.rng.int(10 * 60, 16 * 60), run.site.timezone);
	run.agenda.add(Math.max(when, at + HOUR), async (now) => {
		await changeParticipantStatus(contextAt(run, now), run.id, {
			status: 'withdrawn',
			reason: withdrawalReason(run.rng, run.firstDoseDay !== null)
		});
		run.env.summary.withdrawn += 1;
	});
}

async function complete(run: ParticipantRun, at: number): Promise<void> {
	await changeParticipantStatus(contextAt(run, at), run.id, { status: 'completed' });
	run.env.summary.completed += 1;
}

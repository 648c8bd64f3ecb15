// One dosing session, planned before anything is written: T0, every scheduled reading with the
// time it was taken and the time it was typed in, rechecks after high readings, the supplemental
// dose and the end. Pure; `dosing.ts` writes the plan through the services.
import type { Protocol, VitalsTimepoint } from '../../domain/protocol';
import { softCheckWarnings } from '../../domain/vitals';
import type { Position } from '../../schemas/vitals';
import { clamp, type Random } from './random';
import { MINUTE } from './site-clock';
import {
	atLeast,
	decideSupplemental,
	highestFinding,
	type ReadingValues,
	type SupplementalPlan
} from './supplemental';
import { measureVitals, type SessionPhysiology } from './vitals-curve';

export interface PlannedReading {
	timepoint: number | 'end' | 'unscheduled';
	takenAt: number;
	enterAt: number;
	values: ReadingValues;
	position: Position;
	/** True exactly when the jump from the previous reading asks for confirmation. */
	confirmed: boolean;
}

export interface SessionPlan {
	t0: number;
	startEnterAt: number;
	initialDoseMg: number;
	readings: PlannedReading[];
	supplemental: SupplementalPlan & { enterAt: number };
	endedAt: number;
	endEnterAt: number;
	/** Scheduled readings not taken (minutes from T0 → why), recorded as not done at the end. */
	notDone: Record<string, string>;
}

/** Why a late-session reading was not taken, now and then [D]. */
const NOT_DONE_REASONS = [
	'Participant asleep; not woken, per protocol.',
	'Participant in the bathroom; next reading taken on time.',
	'Monitor cuff failed; replaced for the next reading.'
];

/** A number in [0, 1) from T0 and a timepoint: the same for the same session plan. */
function unitHash(t0: number, minutes: number): number {
	let h = (Math.floor(t0 / MINUTE) * 31 + minutes) >>> 0;
	h = Math.imul(h ^ (h >>> 16), 0x45d9f3b) >>> 0;
	h = Math.imul(h ^ (h >>> 16), 0x45d9f3b) >>> 0;
	return ((h ^ (h >>> 16)) >>> 0) / 2 ** 32;
}

interface Draft {
	rng: Random;
	protocol: Protocol;
	physiology: SessionPhysiology;
	t0: number;
	startEnterAt: number;
	position: Position;
	readings: PlannedReading[];
	last: Partial<ReadingValues>;
	supplemental: SupplementalPlan | null;
	notDone: Record<string, string>;
}

function addReading(
	d: Draft,
	timepoint: PlannedReading['timepoint'],
	takenAt: number,
	measures: readonly string[]
): PlannedReading {
	const supp = d.supplemental?.given && d.supplemental.at < takenAt ? d.supplemental.at : null;
	const minutes = (takenAt - d.t0) / MINUTE;
	const v = measureVitals(
		d.rng,
		d.physiology,
		minutes,
		supp === null ? null : (supp - d.t0) / MINUTE
	);
	const values: ReadingValues = {
		systolic: v.systolic,
		diastolic: v.diastolic,
		heartRate: v.heartRate,
		temperature: measures.includes('temperature') ? v.temperature : null
	};
	const warnings = softCheckWarnings(values, d.last, d.protocol.dosingSession.softChecks);
	for (const [k, value] of Object.entries(values)) {
		if (value !== null) d.last[k as keyof ReadingValues] = value;
	}
	// Typed in 1–4 min after it was taken; readings before the session was opened, just after it.
	const enterAt = Math.max(takenAt, d.startEnterAt) + d.rng.uniform(1, 4) * MINUTE;
	const reading: PlannedReading = {
		timepoint,
		takenAt,
		enterAt,
		values,
		position: minutes < 0 ? 'SITTING' : d.position,
		confirmed: Object.keys(warnings).length > 0
	};
	d.readings.push(reading);
	return reading;
}

/** After a high reading the protocol asks for a recheck within 15 min (DOMAIN.md §1 messages). */
function maybeRecheck(d: Draft, reading: PlannedReading): void {
	if (reading.takenAt < d.t0 || reading.timepoint === 'end') return;
	const finding = highestFinding(d.protocol, reading.values);
	if (!finding) return;
	// Most action-level readings are rechecked on the grid; a few notify-level ones too [D]
	if (!d.rng.chance(atLeast(finding.level, 'action') ? 0.65 : 0.12)) return;
	addReading(d, 'unscheduled', reading.takenAt + d.rng.uniform(12, 18) * MINUTE, [
		'systolic',
		'diastolic',
		'heartRate'
	]);
}

function scheduledTime(d: Draft, tp: VitalsTimepoint, endedAt: number): number {
	if (tp.minutes === 'end') return endedAt - d.rng.uniform(0, 10) * MINUTE;
	// Taken up to 3 min early or 8 min late: inside the 15-min missed-reading rule (DOMAIN.md §1)
	const jitter = tp.minutes < 0 ? d.rng.uniform(-5, 3) : d.rng.uniform(-3, 8);
	return d.t0 + (tp.minutes + jitter) * MINUTE;
}

/** Every scheduled reading in order, a recheck after some high ones, and the supplemental dose. */
function takeReadings(d: Draft, initialDoseMg: number, endedAt: number): SupplementalPlan {
	const ds = d.protocol.dosingSession;
	const decide = () =>
		decideSupplemental(d.rng, d.protocol, { t0: d.t0, initialDoseMg, readings: d.readings });
	for (const tp of ds.vitalsTimepoints) {
		const after = tp.minutes === 'end' || tp.minutes > ds.supplementalDoseMinutes.earliest;
		if (after && !d.supplemental) d.supplemental = decide();
		// A reading is not taken in the minute the dose is given: the gate saw the ones before it
		const given = d.supplemental?.given ? d.supplemental.at + 2 * MINUTE : -Infinity;
		const takenAt = Math.max(scheduledTime(d, tp, endedAt), given);
		// Late in the session, about 1 reading in 30 is not taken [D]. Decided by a hash of T0 and
		// the timepoint, not by the run's random stream, so every other draw stays as it was.
		if (tp.minutes !== 'end' && tp.minutes >= 240) {
			const u = unitHash(d.t0, tp.minutes);
			if (u < 1 / 30) {
				d.notDone[String(tp.minutes)] = NOT_DONE_REASONS[Math.floor(u * 30 * 3)]!;
				continue;
			}
		}
		maybeRecheck(d, addReading(d, tp.minutes, takenAt, tp.measurements));
	}
	return d.supplemental ?? decide();
}

export function planSession(
	rng: Random,
	protocol: Protocol,
	physiology: SessionPhysiology,
	s: { t0: number; initialDoseMg: number }
): SessionPlan {
	const d: Draft = {
		rng,
		protocol,
		physiology,
		t0: s.t0,
		startEnterAt: s.t0 + rng.uniform(1, 3) * MINUTE,
		position: rng.chance(0.5) ? 'SUPINE' : 'SITTING', // participants lie or recline [D]
		readings: [],
		last: {},
		supplemental: null,
		notDone: {}
	};
	// About 8 h (DOMAIN.md §1), from the protocol's expected duration −20/+40 min [D]
	const duration = protocol.dosingSession.expectedDurationMinutes + rng.uniform(-20, 40);
	const endedAt = s.t0 + duration * MINUTE;
	const supplemental = takeReadings(d, s.initialDoseMg, endedAt);
	const lastEntered = Math.max(...d.readings.map((r) => r.enterAt));
	return {
		t0: s.t0,
		startEnterAt: d.startEnterAt,
		initialDoseMg: s.initialDoseMg,
		readings: d.readings,
		supplemental: { ...supplemental, enterAt: supplemental.at + rng.uniform(2, 6) * MINUTE },
		endedAt,
		endEnterAt: clamp(lastEntered, endedAt, Infinity) + rng.uniform(1, 5) * MINUTE,
		notDone: d.notDone
	};
}

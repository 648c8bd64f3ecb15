// Adverse events the session's own readings call for: raised blood pressure, a fast pulse, fever
// (AEs of special interest, DOMAIN.md §3), at most one of each kind a session; a hypertensive
// surge past the urgent band is now and then serious (hospitalisation), reported within hours.
import type { Protocol } from '../../domain/protocol';
import { draft, HOSPITALISED, type AeDraft, type Spec } from './ae-draft';
import type { Random } from './random';
import type { PlannedReading, SessionPlan } from './session-plan';
import { HOUR, MINUTE } from './site-clock';
import { highestFinding, type Finding } from './supplemental';

type Base = Pick<Spec, 'onset' | 'aware' | 'relatedness' | 'action'>;

function pressureAe(rng: Random, f: Finding, r: PlannedReading, base: Base, writeUp: number) {
	const urgent = f.level === 'urgent';
	if (!urgent && !rng.chance(0.5)) return null; // half the transient rises are recorded [D]
	// CTCAE v5 hypertension G3 at SBP ≥ 160 with intervention; transient rises without
	// treatment are graded 2 by the investigator (DOMAIN.md §1 sources) [D]
	const serious = urgent && rng.chance(0.4);
	const spec: Spec = {
		...base,
		term: urgent ? 'Hypertension' : 'Blood pressure increased',
		verbatim: `blood pressure ${r.values.systolic}/${r.values.diastolic} mmHg`,
		end: r.takenAt + rng.uniform(1, urgent ? 20 : 4) * HOUR,
		grade: urgent ? 3 : 2
	};
	if (!serious) return draft(rng, spec, writeUp);
	const notes = 'Transferred to the medical ward for monitoring and oral antihypertensive.';
	// A serious event is reported within hours of awareness (24 h clock, DOMAIN.md §3)
	const enterAt = base.aware + rng.uniform(30, 120) * MINUTE;
	return draft(rng, { ...spec, criteria: HOSPITALISED, notes }, enterAt);
}

function pulseAe(rng: Random, r: PlannedReading, base: Base, writeUp: number) {
	if (!rng.chance(0.4)) return null; // [D]
	const end = r.takenAt + rng.uniform(1, 4) * HOUR;
	const spec = { ...base, term: 'Tachycardia', verbatim: `pulse ${r.values.heartRate}`, end };
	return draft(rng, { ...spec, grade: rng.int(1, 2) }, writeUp);
}

function feverAe(rng: Random, r: PlannedReading, base: Base, writeUp: number) {
	if (!rng.chance(0.6)) return null; // [D]
	const end = r.takenAt + rng.uniform(2, 8) * HOUR;
	const verbatim = `temperature ${r.values.temperature} °C`;
	// CTCAE v5 fever G1 38.0–39.0 °C (DOMAIN.md §1)
	return draft(rng, { ...base, term: 'Hyperthermia', verbatim, end, grade: 1 }, writeUp);
}

export function readingAes(
	rng: Random,
	protocol: Protocol,
	plan: SessionPlan,
	writeUp: number
): AeDraft[] {
	const out: AeDraft[] = [];
	const seen = new Set<string>();
	for (const r of plan.readings) {
		const f = highestFinding(protocol, r.values);
		if (!f || f.level === 'notify') continue;
		// One event per kind a session: systolic and diastolic are the same blood pressure
		const kind = f.measure === 'diastolic' ? 'systolic' : f.measure;
		if (seen.has(kind)) continue;
		seen.add(kind);
		const held = !plan.supplemental.given && r.takenAt <= plan.supplemental.at;
		const base: Base = {
			onset: r.takenAt,
			aware: r.takenAt + rng.uniform(0, 5) * MINUTE,
			relatedness: rng.pick(['probable', 'definite'] as const),
			action: held ? 'supplemental-dose-not-given' : 'dose-not-changed'
		};
		const ae =
			kind === 'systolic'
				? pressureAe(rng, f, r, base, writeUp)
				: kind === 'heartRate'
					? pulseAe(rng, r, base, writeUp)
					: feverAe(rng, r, base, writeUp);
		if (ae) out.push(ae);
	}
	return out;
}

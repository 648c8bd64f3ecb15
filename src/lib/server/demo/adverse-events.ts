// The adverse events of one dosing session, as a coordinator would enter them: the common ones,
// the ones the session's own readings call for (AEs of special interest, DOMAIN.md §3), and rarely
// a serious one reported within hours of awareness (24 h clock, DOMAIN.md §3). Pure.
import {
	noSeriousnessCriteria,
	type ActionTaken,
	type Expectedness,
	type Relatedness,
	type SeriousnessCriteria
} from '../../domain/adverse-events';
import type { Protocol } from '../../domain/protocol';
import {
	codeOf,
	COMMON_AES,
	commonGrade,
	inSessionRelatedness,
	laterRelatedness
} from './ae-catalogue';
import type { Random } from './random';
import type { SessionPlan } from './session-plan';
import { HOUR, iso, MINUTE } from './site-clock';
import { highestFinding } from './supplemental';

export interface AeInput {
	verbatimTerm: string;
	codedTermCode: string;
	onsetAt: string;
	endAt?: string;
	awareAt: string;
	severity: number;
	criteria: SeriousnessCriteria;
	relatedness: Relatedness;
	expectedness: Expectedness;
	actionTaken: ActionTaken;
	outcome: 'recovered' | 'recovering';
	notes?: string;
}

export interface AeDraft {
	enterAt: number;
	input: AeInput;
	/** When the event is still going on at entry: when its end is learnt and entered. */
	resolution: { enterAt: number; endAt: number } | null;
	serious: boolean;
}

interface Spec {
	term: string;
	verbatim: string;
	onset: number;
	aware: number;
	end: number;
	grade: number;
	relatedness: Relatedness;
	expectedness?: Expectedness;
	action: ActionTaken;
	criteria?: SeriousnessCriteria;
	notes?: string;
}

function draft(rng: Random, spec: Spec, enterAt: number): AeDraft {
	const resolved = spec.end <= enterAt;
	const criteria = spec.criteria ?? noSeriousnessCriteria;
	return {
		enterAt,
		input: {
			verbatimTerm: spec.verbatim,
			codedTermCode: codeOf(spec.term),
			onsetAt: iso(spec.onset),
			...(resolved ? { endAt: iso(spec.end) } : {}),
			awareAt: iso(spec.aware),
			severity: spec.grade,
			criteria: { ...criteria },
			relatedness: spec.relatedness,
			expectedness: spec.expectedness ?? 'expected',
			actionTaken: spec.action,
			outcome: resolved ? 'recovered' : 'recovering',
			...(spec.notes ? { notes: spec.notes } : {})
		},
		// The end is typed in when the site hears of it: at a call or the next visit [D]
		resolution: resolved
			? null
			: { enterAt: spec.end + rng.uniform(0.5, 8) * HOUR, endAt: spec.end },
		serious: Object.values(criteria).some(Boolean)
	};
}

/** Common AEs: observed in session (aware at once) or reported at the next-day visit. */
function commonAes(rng: Random, plan: SessionPlan, writeUp: number): AeDraft[] {
	const out: AeDraft[] = [];
	for (const ae of COMMON_AES) {
		if (!rng.chance(ae.perSession)) continue;
		const onset = plan.t0 + rng.uniform(ae.onset[0], ae.onset[1]) * MINUTE;
		const inSession = onset < plan.endedAt;
		// Next-day integration visit (about T0 + 24 h) for events after the session [D]
		const aware = inSession
			? onset + rng.uniform(0, 20) * MINUTE
			: Math.max(onset + 10 * MINUTE, plan.t0 + rng.uniform(23, 26) * HOUR);
		const spec: Spec = {
			term: ae.term,
			verbatim: rng.pick(ae.verbatim),
			onset,
			aware,
			end: onset + rng.uniform(ae.hours[0], ae.hours[1]) * HOUR,
			grade: commonGrade(rng),
			relatedness: inSession ? inSessionRelatedness(rng) : laterRelatedness(rng),
			action: inSession ? 'dose-not-changed' : 'not-applicable'
		};
		out.push(draft(rng, spec, inSession ? writeUp : aware + rng.uniform(10, 60) * MINUTE));
	}
	return out;
}

/** Hospitalisation (ICH E2A, DOMAIN.md §3): the criterion the demo's serious events meet. */
const HOSPITALISED: SeriousnessCriteria = { ...noSeriousnessCriteria, hospitalisation: true };

/** AEs the readings call for: raised pressure, fast pulse, fever (AESIs, DOMAIN.md §3). */
function readingAes(
	rng: Random,
	protocol: Protocol,
	plan: SessionPlan,
	writeUp: number
): AeDraft[] {
	const out: AeDraft[] = [];
	const seen = new Set<string>();
	for (const r of plan.readings) {
		const f = highestFinding(protocol, r.values);
		// One event per kind a session: systolic and diastolic are the same blood pressure.
		const kind = f?.measure === 'diastolic' ? 'systolic' : f?.measure;
		if (!f || !kind || f.level === 'notify' || seen.has(kind)) continue;
		seen.add(kind);
		const held = !plan.supplemental.given && r.takenAt <= plan.supplemental.at;
		const base = {
			onset: r.takenAt,
			aware: r.takenAt + rng.uniform(0, 5) * MINUTE,
			relatedness: rng.pick(['probable', 'definite'] as const),
			action: held ? ('supplemental-dose-not-given' as const) : ('dose-not-changed' as const)
		};
		const urgent = f.level === 'urgent';
		if ((f.measure === 'systolic' || f.measure === 'diastolic') && (urgent || rng.chance(0.5))) {
			// CTCAE v5 hypertension G3 at SBP ≥ 160 with intervention; transient rises without
			// treatment are graded 2 by the investigator (DOMAIN.md §1 sources) [D]
			const serious = urgent && rng.chance(0.4);
			const spec: Spec = {
				...base,
				term: urgent ? 'Hypertension' : 'Blood pressure increased',
				verbatim: `blood pressure ${r.values.systolic}/${r.values.diastolic} mmHg`,
				end: r.takenAt + rng.uniform(1, urgent ? 20 : 4) * HOUR,
				grade: urgent ? 3 : 2,
				...(serious
					? {
							criteria: HOSPITALISED,
							notes: 'Transferred to the medical ward for monitoring and oral antihypertensive.'
						}
					: {})
			};
			out.push(draft(rng, spec, serious ? base.aware + rng.uniform(30, 120) * MINUTE : writeUp));
		} else if (f.measure === 'heartRate' && rng.chance(0.4)) {
			const end = r.takenAt + rng.uniform(1, 4) * HOUR;
			const spec = { ...base, term: 'Tachycardia', verbatim: `pulse ${r.values.heartRate}`, end };
			out.push(draft(rng, { ...spec, grade: rng.int(1, 2) }, writeUp));
		} else if (f.measure === 'temperature' && rng.chance(0.6)) {
			// CTCAE v5 fever G1 38.0–39.0 °C (DOMAIN.md §1)
			const end = r.takenAt + rng.uniform(2, 8) * HOUR;
			const spec = {
				...base,
				term: 'Hyperthermia',
				verbatim: `temperature ${r.values.temperature} °C`,
				end
			};
			out.push(draft(rng, { ...spec, grade: 1 }, writeUp));
		}
	}
	return out;
}

/** Rarely (~1 session in 100) hyponatraemia in the evening, an AESI (DOMAIN.md §3) [D]. */
function hyponatraemia(rng: Random, plan: SessionPlan): AeDraft[] {
	if (!rng.chance(0.01)) return [];
	const onset = plan.t0 + rng.uniform(6, 11) * HOUR;
	const aware = onset + rng.uniform(0.5, 3) * HOUR;
	const spec: Spec = {
		term: 'Hyponatraemia',
		verbatim: 'confusion and headache; serum sodium 127 mmol/L',
		onset,
		aware,
		end: onset + rng.uniform(24, 60) * HOUR,
		grade: 3,
		relatedness: rng.pick(['possible', 'probable'] as const),
		// Marked unexpected so the demo shows a SUSAR clock (DOMAIN.md §3) [D]
		expectedness: 'unexpected',
		action: 'not-applicable',
		criteria: HOSPITALISED,
		notes: 'Admitted for fluid restriction and sodium monitoring.'
	};
	return [draft(rng, spec, aware + rng.uniform(30, 120) * MINUTE)];
}

/** Every AE of a session, in the order they are entered. */
export function sessionAdverseEvents(
	rng: Random,
	protocol: Protocol,
	plan: SessionPlan
): AeDraft[] {
	// In-session events are written up as the session closes [D]
	const writeUp = plan.endEnterAt + rng.uniform(5, 40) * MINUTE;
	return [
		...readingAes(rng, protocol, plan, writeUp),
		...commonAes(rng, plan, writeUp),
		...hyponatraemia(rng, plan)
	].sort((a, b) => a.enterAt - b.enterAt);
}

// Whether a reading reaches a protocol band, and the supplemental-dose decision that follows from
// the readings since T0 (DOMAIN.md §1: the half-dose at T0 + 1.5–2 h "unless contraindicated").
// The gate is the domain's own (`supplementalHold`), so the demo holds exactly when the service
// would.
import {
	VITAL_MEASURES,
	type FlagLevel,
	type Protocol,
	type VitalMeasure
} from '../../domain/protocol';
import { atLeast, bandOf, levelRank, supplementalHold } from '../../domain/safety';
import type { Random } from './random';
import { MINUTE } from './site-clock';

export { atLeast };

export type ReadingValues = Record<VitalMeasure, number | null>;

export interface Finding {
	level: FlagLevel;
	measure: VitalMeasure;
	value: number;
}

/** The highest high-side band the reading reaches under the protocol's rules, if any. */
export function highestFinding(protocol: Protocol, values: ReadingValues): Finding | null {
	let found: Finding | null = null;
	for (const measure of VITAL_MEASURES) {
		const value = values[measure];
		const hit = value === null ? null : bandOf(protocol.safetyRules, measure, value);
		if (!hit || hit.side !== 'high') continue;
		if (!found || levelRank(hit.level) > levelRank(found.level)) {
			found = { level: hit.level, measure, value: hit.value };
		}
	}
	return found;
}

export type SupplementalPlan =
	{ given: true; at: number; doseMg: number } | { given: false; reason: string; at: number };

/** Reasons a site gives for not giving the half-dose when no reading forbids it [D]. */
const OTHER_REASONS = [
	'Participant declined the supplemental dose.',
	'Strong response to the initial dose; participant and therapists agreed not to give it.',
	'Participant asleep through the dosing window; not woken, per therapists.',
	'Nausea and vomiting after the initial dose; supplemental dose not given.'
];

interface Taken {
	takenAt: number;
	values: ReadingValues;
}

/** The first reason the protocol gives to hold the dose, in short: "Heart rate 109 bpm is …". */
function holdReason(protocol: Protocol, s: { t0: number; readings: readonly Taken[] }, at: number) {
	const readings = s.readings.map((r, id) => ({ id, takenAt: new Date(r.takenAt), ...r.values }));
	const holds = supplementalHold(
		{ t0: new Date(s.t0), readings },
		protocol.safetyRules,
		new Date(at)
	);
	const first = holds[0]?.finding;
	return first === undefined ? null : `${first}: supplemental dose held per protocol.`;
}

/**
 * Decides the supplemental dose after the pre-supplemental reading: held when the protocol's gate
 * says so; otherwise mostly given within the protocol's window, at half the initial dose
 * (DOMAIN.md §1: 40 or 60 mg after 80 or 120 mg), a few minutes after the decision.
 */
export function decideSupplemental(
	rng: Random,
	protocol: Protocol,
	s: { t0: number; initialDoseMg: number; readings: readonly Taken[] }
): SupplementalPlan {
	const window = protocol.dosingSession.supplementalDoseMinutes;
	const last = s.readings.at(-1)?.takenAt ?? s.t0;
	const decidedAt = Math.max(last + rng.uniform(2, 6) * MINUTE, s.t0 + window.earliest * MINUTE);
	const at = Math.min(decidedAt + rng.uniform(0, 4) * MINUTE, s.t0 + (window.latest - 1) * MINUTE);
	const held = holdReason(protocol, s, at);
	if (held) return { given: false, reason: held, at: decidedAt };
	// About 7 % of half-doses are not given for other reasons [D]
	if (rng.chance(0.07)) return { given: false, reason: rng.pick(OTHER_REASONS), at: decidedAt };
	return { given: true, at, doseMg: s.initialDoseMg / 2 };
}

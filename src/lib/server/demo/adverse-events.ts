// The adverse events of one dosing session, as a coordinator would enter them: the common ones,
// the ones the session's own readings call for (reading-aes.ts), and rarely a serious
// hyponatraemia reported within hours of awareness (24 h clock, DOMAIN.md §3). Pure.
import type { Protocol } from '../../domain/protocol';
import { COMMON_AES, commonGrade, inSessionRelatedness, laterRelatedness } from './ae-catalogue';
import { draft, HOSPITALISED, type AeDraft, type Spec } from './ae-draft';
import type { Random } from './random';
import { readingAes } from './reading-aes';
import type { SessionPlan } from './session-plan';
import { HOUR, MINUTE } from './site-clock';

export type { AeDraft, AeInput } from './ae-draft';

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

/** Rarely (~1 session in 100) hyponatraemia in the evening, an AESI (DOMAIN.md §3) [D]. */
function hyponatraemia(rng: Random, plan: SessionPlan): AeDraft[] {
	if (!rng.chance(0.01)) return [];
	// In the evening of the overnight stay; the night staff notice within hours [D]
	const onset = plan.t0 + rng.uniform(6, 11) * HOUR;
	const aware = onset + rng.uniform(0.5, 3) * HOUR;
	const spec: Spec = {
		term: 'Hyponatraemia',
		verbatim: 'confusion and headache; serum sodium 127 mmol/L',
		onset,
		aware,
		end: onset + rng.uniform(24, 60) * HOUR, // resolved in a day or two (demo brief)
		grade: 3, // severe: CTCAE v5 grade 3 (DOMAIN.md §3)
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

// An adverse event as the demo enters it: the AE form's input, and — when the event outlasts its
// entry — when its end is learnt and added as a correction.
import {
	noSeriousnessCriteria,
	type ActionTaken,
	type Expectedness,
	type Relatedness,
	type SeriousnessCriteria
} from '../../domain/adverse-events';
import { codeOf } from './ae-catalogue';
import type { Random } from './random';
import { HOUR, iso } from './site-clock';

/** Hospitalisation (ICH E2A, DOMAIN.md §3): the criterion the demo's serious events meet. */
export const HOSPITALISED: SeriousnessCriteria = {
	...noSeriousnessCriteria,
	hospitalisation: true
};

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

export interface Spec {
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

export function draft(rng: Random, spec: Spec, enterAt: number): AeDraft {
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

// The adverse events the demo draws for a dosing session: the common MDMA AEs (Colcott 2024,
// PMC11224236; DOMAIN.md §3) with demo rates per session, and the words people use for them.
import { codedTerms, type Relatedness } from '../../domain/adverse-events';
import commonAes from './common-aes.json';
import type { Random } from './random';

/** The bundled code of a preferred term; throws when the list no longer has it. */
export function codeOf(preferredTerm: string): string {
	const term = codedTerms.find((t) => t.preferredTerm === preferredTerm);
	if (!term) throw new Error(`The coded-term list has no "${preferredTerm}".`);
	return term.code;
}

export interface CommonAe {
	term: string;
	/** How the participant or nurse put it (the verbatim term). */
	verbatim: readonly string[];
	/** Chance per dosing session [D]: demo rates, ordered as Colcott 2024 ranks them. */
	perSession: number;
	/** Onset, minutes from T0. */
	onset: readonly [number, number];
	/** How long it lasts, hours: resolved within a day or two (demo brief). */
	hours: readonly [number, number];
}

/** The table itself is data (common-aes.json); its rates and times are the demo's [D]. */
export const COMMON_AES: readonly CommonAe[] = commonAes.map((ae) => ({
	...ae,
	onset: range(ae.onset),
	hours: range(ae.hours)
}));

function range(pair: number[]): readonly [number, number] {
	const [from, to] = pair;
	if (from === undefined || to === undefined || from > to) {
		throw new Error(`common-aes.json: ${JSON.stringify(pair)} is not a range [from, to].`);
	}
	return [from, to];
}

/** Grade 1 most, grade 2 some, grade 3 rare (demo brief; CTCAE v5 grades, DOMAIN.md §3). */
export function commonGrade(rng: Random): 1 | 2 | 3 {
	return rng.weighted([
		[1, 70],
		[2, 27],
		[3, 3]
	] as const);
}

/** Mostly possible or probable (demo brief) on the 5-point scale (DOMAIN.md §3). */
export function inSessionRelatedness(rng: Random): Relatedness {
	return rng.weighted([
		['probable', 45],
		['possible', 30],
		['definite', 15],
		['unlikely', 10]
	] as const);
}

/** Events that begin after the session are less clearly the drug's [D]. */
export function laterRelatedness(rng: Random): Relatedness {
	return rng.weighted([
		['possible', 50],
		['probable', 25],
		['unlikely', 25]
	] as const);
}

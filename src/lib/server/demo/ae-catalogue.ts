// The adverse events the demo draws for a dosing session: the common MDMA AEs (Colcott 2024,
// PMC11224236; DOMAIN.md §3) with demo rates per session, and the words people use for them.
import { codedTerms, type Relatedness } from '../../domain/adverse-events';
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

export const COMMON_AES: readonly CommonAe[] = [
	{
		term: 'Muscle tightness',
		verbatim: [
			'muscle tension in neck and shoulders',
			'tight muscles',
			'stiff jaw and neck muscles'
		],
		perSession: 0.3,
		onset: [30, 150],
		hours: [2, 20]
	},
	{
		term: 'Decreased appetite',
		verbatim: ['no appetite', 'did not want to eat', 'reduced appetite'],
		perSession: 0.22,
		onset: [60, 240],
		hours: [6, 36]
	},
	{
		term: 'Nausea',
		verbatim: ['nausea', 'felt sick after the dose', 'queasy'],
		perSession: 0.18,
		onset: [20, 90],
		hours: [0.5, 4]
	},
	{
		term: 'Hyperhidrosis',
		verbatim: ['sweating', 'excessive sweating'],
		perSession: 0.1,
		onset: [45, 150],
		hours: [1, 5]
	},
	{
		term: 'Feeling cold',
		verbatim: ['felt cold'],
		perSession: 0.08,
		onset: [60, 240],
		hours: [1, 4]
	},
	{
		term: 'Restlessness',
		verbatim: ['restless', 'could not settle'],
		perSession: 0.07,
		onset: [40, 180],
		hours: [1, 6]
	},
	{
		term: 'Mydriasis',
		verbatim: ['dilated pupils'],
		perSession: 0.06,
		onset: [40, 90],
		hours: [3, 8]
	},
	{
		term: 'Bruxism',
		verbatim: ['jaw clenching', 'teeth grinding'],
		perSession: 0.12,
		onset: [40, 150],
		hours: [2, 10]
	},
	{ term: 'Nystagmus', verbatim: ['nystagmus'], perSession: 0.04, onset: [45, 120], hours: [1, 4] },
	{
		term: 'Feeling jittery',
		verbatim: ['jittery'],
		perSession: 0.06,
		onset: [30, 120],
		hours: [1, 4]
	},
	{
		term: 'Non-cardiac chest pain',
		verbatim: ['chest tightness, ECG normal'],
		perSession: 0.03,
		onset: [60, 200],
		hours: [0.5, 3]
	},
	{
		term: 'Blurred vision',
		verbatim: ['blurry vision'],
		perSession: 0.04,
		onset: [45, 150],
		hours: [1, 5]
	},
	{
		term: 'Chills',
		verbatim: ['chills', 'shivering'],
		perSession: 0.06,
		onset: [60, 240],
		hours: [0.5, 3]
	},
	{
		term: 'Headache',
		verbatim: ['headache', 'headache in the evening'],
		perSession: 0.12,
		onset: [240, 720],
		hours: [2, 24]
	},
	{
		term: 'Fatigue',
		verbatim: ['tired the day after', 'fatigue'],
		perSession: 0.1,
		onset: [600, 1500],
		hours: [8, 40]
	},
	{
		term: 'Insomnia',
		verbatim: ['could not sleep the night after', 'poor sleep'],
		perSession: 0.06,
		onset: [840, 1200],
		hours: [4, 10]
	}
];

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

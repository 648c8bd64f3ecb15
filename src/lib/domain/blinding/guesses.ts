// Blinding guesses (DOMAIN-2.md §2): after each dosing session and at the end of treatment the
// participant, the therapist and the rater each guess the arm, or say they don't know, with a
// confidence. Tables are per respondent type and timepoint.
import type { GuessTable } from './indices';

export const RESPONDENTS = ['participant', 'therapist', 'rater'] as const;
export type Respondent = (typeof RESPONDENTS)[number];

/** The guess in the protocol's terms: the first arm is the active one. */
export const GUESSES = ['active', 'control', 'dont-know'] as const;
export type Guess = (typeof GUESSES)[number];

export const CONFIDENCE_LEVELS = ['low', 'moderate', 'high'] as const;
export type Confidence = (typeof CONFIDENCE_LEVELS)[number];

export interface GuessRecord {
	respondent: Respondent;
	timepoint: string;
	guess: Guess;
	/** The participant's actual arm: 'active' (the protocol's first arm) or 'control'. */
	actual: 'active' | 'control';
}

export function emptyTable(): GuessTable {
	return {
		active: { guessedActive: 0, guessedControl: 0, dontKnow: 0 },
		control: { guessedActive: 0, guessedControl: 0, dontKnow: 0 }
	};
}

export function tabulate(records: readonly GuessRecord[]): GuessTable {
	const t = emptyTable();
	for (const r of records) {
		const col = t[r.actual];
		if (r.guess === 'active') col.guessedActive++;
		else if (r.guess === 'control') col.guessedControl++;
		else col.dontKnow++;
	}
	return t;
}

/** Guesses pooled over arms: what a blinded reader may see. */
export interface PooledGuesses {
	active: number;
	control: number;
	dontKnow: number;
	n: number;
}

export function pool(t: GuessTable): PooledGuesses {
	const active = t.active.guessedActive + t.control.guessedActive;
	const control = t.active.guessedControl + t.control.guessedControl;
	const dontKnow = t.active.dontKnow + t.control.dontKnow;
	return { active, control, dontKnow, n: active + control + dontKnow };
}

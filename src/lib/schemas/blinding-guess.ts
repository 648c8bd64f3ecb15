import { z } from 'zod';
import { CONFIDENCE_LEVELS, GUESSES, RESPONDENTS } from '../domain/blinding';

/**
 * When a guess is asked (DOMAIN-2.md §2 [D]): after a dosing session (DS1, DS2, …, the session's
 * number) or at the end of treatment (EOT).
 */
export const GUESS_TIMEPOINT = /^(DS[1-9]\d?|EOT)$/;

export const blindingGuessInput = z.object({
	respondent: z.enum(RESPONDENTS, {
		error: 'Choose who is guessing: the participant, the therapist or the rater.'
	}),
	timepoint: z
		.string({ error: 'Choose the dosing session or the end of treatment.' })
		.trim()
		.regex(GUESS_TIMEPOINT, 'Choose the dosing session or the end of treatment.'),
	guess: z.enum(GUESSES, {
		error: 'Choose the arm guessed, or "don\'t know".'
	}),
	confidence: z.enum(CONFIDENCE_LEVELS, { error: 'Choose how confident the guess is.' })
});
export type BlindingGuessInput = z.infer<typeof blindingGuessInput>;

export const GUESS_LABELS: Record<(typeof GUESSES)[number], string> = {
	active: 'Active (MDMA)',
	control: 'Control (placebo)',
	'dont-know': "Don't know"
};

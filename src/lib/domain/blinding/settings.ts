// Blinding-integrity settings (DOMAIN-2.md §2). Per-arm results can reveal allocation, so before
// database lock a blinded reader sees pooled guesses and James' index only; with a handful of
// guesses even James' index (and whether it can be computed at all) gives away arms — one
// participant guessing "active" scores 0.5 in the control arm and has no index in the active arm.
import { z } from 'zod';

export const blindingSettingsSchema = z.strictObject({
	/**
	 * Below this many guesses in a row (respondent type × timepoint), a blinded reader is not shown
	 * James' index. Readers who may know arms (unblinded role, or after lock) always see it.
	 */
	minimumGuessesForBlindedIndex: z
		.number({ error: 'Give the minimum number of guesses as a whole number.' })
		.int('Give a whole number of guesses.')
		.min(1, 'At least 1 guess.')
		.max(1000, 'At most 1000 guesses.')
});
export type BlindingSettings = z.infer<typeof blindingSettingsSchema>;

export const DEFAULT_BLINDING_SETTINGS: BlindingSettings = {
	// [D] Vigil's disclosure default, not a clinical threshold (DOMAIN-2.md §2, pitfall "per-arm BI
	// reveals allocation"; no source gives a number): ten guesses, so that one or two participants'
	// answers cannot be read back from the index.
	minimumGuessesForBlindedIndex: 10
};

// Common and easily guessed passwords are refused (ASVS 6.2.12) by zxcvbn-ts, a maintained
// estimator with frequency lists of leaked passwords, common words and names, keyboard patterns
// and dates, rather than by a hand-made list.
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';

/** zxcvbn scores 0–4; 3 is "safely unguessable: moderate protection from offline attacks". */
export const MIN_PASSWORD_SCORE = 3;

let factory: ZxcvbnFactory | undefined;

function estimator(): ZxcvbnFactory {
	factory ??= new ZxcvbnFactory({
		dictionary: { ...common.dictionary, ...en.dictionary },
		graphs: common.adjacencyGraphs,
		translations: en.translations
	});
	return factory;
}

/** Why the password is too easy to guess, or null; `userInputs` are the person's own words. */
export function guessabilityProblem(password: string, userInputs: string[] = []): string | null {
	// The estimator's cost grows with length; beyond 100 characters the length alone suffices.
	const result = estimator().check(password.slice(0, 100), userInputs);
	if (result.score >= MIN_PASSWORD_SCORE) return null;
	const hint = result.feedback.warning ? ` (${result.feedback.warning.replace(/\.$/, '')})` : '';
	return `This password is too common or easy to guess${hint}; use a longer phrase of unrelated words.`;
}

/**
 * Cross-field rules for one adverse event. Each problem names the field(s) to fix, so a form can
 * show the message beside the input; a rule that involves two fields reports on both.
 */
import { isOngoingOutcome, isResolvedOutcome, type Outcome } from './outcome';
import type { SeriousnessCriteria } from './seriousness';
import type { Severity } from './severity';

export interface AdverseEventFacts {
	onsetAt: Date;
	endAt?: Date | undefined;
	/** When the site learned of the event. */
	awareAt: Date;
	severity: Severity;
	criteria: SeriousnessCriteria;
	outcome: Outcome;
}

export interface ConsistencyIssue {
	/** Field path, e.g. ['endAt'] or ['criteria', 'death']. */
	path: string[];
	message: string;
}

/**
 * Date rules. The site learns of an event at or after its onset (it cannot know of something that
 * has not begun), an event ends at or after it starts, and nothing recorded is in the future.
 */
export function dateIssues(ae: AdverseEventFacts, now: Date): ConsistencyIssue[] {
	const issues: ConsistencyIssue[] = [];
	const future = (field: string, what: string) =>
		issues.push({ path: [field], message: `The ${what} cannot be in the future.` });
	if (ae.onsetAt > now) future('onsetAt', 'onset');
	if (ae.awareAt > now) future('awareAt', 'date the site became aware');
	if (ae.endAt && ae.endAt > now) future('endAt', 'end');
	if (ae.endAt && ae.endAt < ae.onsetAt) {
		issues.push({ path: ['endAt'], message: 'The end must be at or after the onset.' });
	}
	if (ae.awareAt < ae.onsetAt) {
		issues.push({
			path: ['awareAt'],
			message: 'The site cannot have become aware before the onset: check both date-times.'
		});
	}
	return issues;
}

/** Outcome against end date: a resolved event has an end; an ongoing one has none. */
export function endIssues(ae: AdverseEventFacts): ConsistencyIssue[] {
	if (isResolvedOutcome(ae.outcome) && !ae.endAt) {
		return [{ path: ['endAt'], message: 'Enter the end: the outcome says the event resolved.' }];
	}
	if (isOngoingOutcome(ae.outcome) && ae.endAt) {
		const message =
			'An event that is still going on has no end: clear the end or change the outcome.';
		return [
			{ path: ['endAt'], message },
			{ path: ['outcome'], message }
		];
	}
	return [];
}

/** A fatal outcome and the death criterion go together (ICH E2A "results in death"). */
export function deathIssues(ae: AdverseEventFacts): ConsistencyIssue[] {
	const fatal = ae.outcome === 'fatal';
	if (fatal && !ae.criteria.death) {
		return [
			{ path: ['outcome'], message: 'A fatal outcome means the event resulted in death.' },
			{
				path: ['criteria', 'death'],
				message: 'The outcome is fatal, so this is "results in death".'
			}
		];
	}
	if (!fatal && ae.criteria.death) {
		return [
			{ path: ['outcome'], message: 'The event resulted in death, so the outcome is fatal.' },
			{ path: ['criteria', 'death'], message: 'Results in death needs the outcome fatal.' }
		];
	}
	return [];
}

/** CTCAE v5 grade 5 is "death related to AE", so it goes with a fatal outcome and only then. */
export function gradeIssues(ae: AdverseEventFacts): ConsistencyIssue[] {
	if (ae.severity.scale !== 'ctcae') return [];
	const grade5 = ae.severity.grade === 5;
	const fatal = ae.outcome === 'fatal';
	if (grade5 && !fatal) {
		return [
			{ path: ['severity'], message: 'Grade 5 means death: the outcome must be fatal.' },
			{ path: ['outcome'], message: 'Grade 5 (death) needs the outcome fatal.' }
		];
	}
	if (fatal && !grade5) {
		return [
			{ path: ['severity'], message: 'A fatal outcome is grade 5 (death).' },
			{ path: ['outcome'], message: 'A fatal outcome needs grade 5 (death).' }
		];
	}
	return [];
}

/** Every cross-field problem with an adverse event, in form order. */
export function adverseEventIssues(ae: AdverseEventFacts, now: Date): ConsistencyIssue[] {
	return [...dateIssues(ae, now), ...endIssues(ae), ...deathIssues(ae), ...gradeIssues(ae)];
}

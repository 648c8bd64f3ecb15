// What the safety rules produce: flag candidates. Pure data; the service compares them with the
// flags already open and raises or closes flags in the transaction that saved the data.
import type { FlagLevel } from '../protocol';

export const SOURCE_TYPES = [
	'vital_reading',
	'dosing_session',
	'scale_administration',
	'adverse_event',
	'concomitant_medication'
] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

export interface FlagCandidate {
	ruleId: string;
	level: FlagLevel;
	sourceType: SourceType;
	sourceId: number;
	/**
	 * The identity of the condition: the same rule on the same source (and timepoint or measure)
	 * gives the same key, so re-evaluating finds the flag that is already open.
	 */
	key: string;
	/** The values that met the rule, for the flag record and the investigator. */
	values: Record<string, string | number | boolean | null>;
	/** In words, with what to do: "Systolic 172 mmHg is at or above 160: action. Inform …". */
	message: string;
}

const RANK: Record<FlagLevel, number> = { notify: 1, action: 2, urgent: 3 };

export function levelRank(level: FlagLevel): number {
	return RANK[level];
}

export function atLeast(level: FlagLevel, floor: FlagLevel): boolean {
	return RANK[level] >= RANK[floor];
}

/** Candidates in one canonical order, so evaluation output never depends on input order. */
export function sortCandidates<C extends FlagCandidate>(c: C[]): C[] {
	return [...c].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

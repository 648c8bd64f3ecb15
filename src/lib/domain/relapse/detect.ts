// Response, remission, relapse and sustained remission over one participant's assessments
// (DOMAIN-2.md §6), and the time to relapse for the Kaplan–Meier curve. Dates are ISO days in the
// site's calendar; the clock is never read here.
import { compare } from '../protocol/comparison';
import type { Comparison } from '../protocol/comparison';
import type { RelapseSettings } from './settings';

export interface Assessment {
	/** ISO date, YYYY-MM-DD. */
	date: string;
	total: number;
}

export interface RelapseInput {
	baseline: number | null;
	/** Assessments after the first dose, in any order. */
	assessments: readonly Assessment[];
	/** Onset dates of events that count as relapse by themselves (hospitalisation, attempt). */
	relapseEvents: readonly string[];
	/** The end of follow-up: withdrawal or start of a new antidepressant (censoring). */
	censorAt: string | null;
	remission: Comparison;
	responsePercentBelowBaseline: number;
	/** Remission held at this many consecutive assessments is sustained. */
	sustainedRemissionVisits: number;
	relapse: RelapseSettings;
}

export type OutcomeMarker =
	| { kind: 'response'; date: string; total: number }
	| { kind: 'remission'; date: string; total: number }
	| { kind: 'sustained-remission'; date: string; total: number }
	| { kind: 'relapse'; date: string; reason: string };

export interface RelapseOutcome {
	markers: OutcomeMarker[];
	/** From first remission: days to relapse, or to censoring. Null when never in remission. */
	survival: { origin: string; days: number; event: boolean } | null;
}

const DAY = 86_400_000;

export function daysBetween(from: string, to: string): number {
	return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);
}

function firstWhere(list: readonly Assessment[], test: (a: Assessment) => boolean) {
	return list.find(test) ?? null;
}

/** The first run of `consecutive` qualifying assessments after origin, each gap within bounds. */
function scaleRelapse(after: readonly Assessment[], s: RelapseSettings): Assessment | null {
	for (let i = 0; i + s.consecutive <= after.length; i++) {
		const run = after.slice(i, i + s.consecutive);
		const meets = run.every((a) => compare(a.total, s.threshold));
		const spaced = run.every((a, k) => {
			if (k === 0) return true;
			const gap = daysBetween(run[k - 1]!.date, a.date);
			return gap >= s.minDaysApart && gap <= s.maxDaysApart;
		});
		if (meets && spaced) return run[0]!;
	}
	return null;
}

function sustainedRemission(list: readonly Assessment[], input: RelapseInput): Assessment | null {
	const need = input.sustainedRemissionVisits;
	for (let i = need - 1; i < list.length; i++) {
		if (list.slice(i - need + 1, i + 1).every((a) => compare(a.total, input.remission))) {
			return list[i]!;
		}
	}
	return null;
}

export function relapseOutcome(input: RelapseInput): RelapseOutcome {
	const end = input.censorAt;
	const list = [...input.assessments]
		.filter((a) => end === null || a.date <= end)
		.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
	const markers: OutcomeMarker[] = [];
	const { baseline } = input;
	if (baseline !== null && baseline > 0) {
		const cut = baseline * (1 - input.responsePercentBelowBaseline / 100);
		const response = firstWhere(list, (a) => a.total <= cut);
		if (response) markers.push({ kind: 'response', date: response.date, total: response.total });
	}
	const remission = firstWhere(list, (a) => compare(a.total, input.remission));
	if (!remission) return { markers, survival: null };
	markers.push({ kind: 'remission', date: remission.date, total: remission.total });
	const sustained = sustainedRemission(list, input);
	const origin = remission.date;
	const after = list.filter((a) => a.date > origin);
	const byScale = scaleRelapse(after, input.relapse);
	const byEvent = [...input.relapseEvents]
		.filter((d) => d > origin && (end === null || d <= end))
		.sort()[0];
	const relapse =
		byScale && (!byEvent || byScale.date <= byEvent)
			? { date: byScale.date, reason: scaleReason(input.relapse) }
			: byEvent
				? { date: byEvent, reason: 'hospitalisation or suicide attempt' }
				: null;
	if (sustained && (!relapse || sustained.date < relapse.date)) {
		markers.push({ kind: 'sustained-remission', date: sustained.date, total: sustained.total });
	}
	if (relapse) {
		markers.push({ kind: 'relapse', date: relapse.date, reason: relapse.reason });
		return { markers, survival: { origin, days: daysBetween(origin, relapse.date), event: true } };
	}
	// Censored at the last relapse-free assessment (follow-up after censorAt is already dropped).
	const last = list.at(-1)!.date;
	return { markers, survival: { origin, days: daysBetween(origin, last), event: false } };
}

function scaleReason(s: RelapseSettings): string {
	const op = s.threshold.op === '>=' ? '≥' : s.threshold.op;
	return `${s.scale} ${op} ${s.threshold.value} at ${s.consecutive} consecutive assessments ${s.minDaysApart}–${s.maxDaysApart} days apart`;
}

// What the safety-signals page sends to its charts: plain numbers, one row per term, rule or bin.
import { fmt } from './format';

/** Participants with ≥ 1 among those dosed, as n/N, percent and Wilson 95 % CI (percent). */
export type IncidenceRow = {
	key: string | null;
	label: string;
	count: number;
	of: number;
	percent: number | null;
	lower: number | null;
	upper: number | null;
	events: number;
	withSerious: number;
	/** Participants by worst grade: [unknown, 1, 2, 3, 4, 5]. */
	byWorstGrade: number[];
	/**
	 * Participants with the event at each site, in the order of the page's sites (`dosed.bySite`),
	 * each out of that site's dosed participants: a number per cell, not an object, since a trial's
	 * 64 sites × 25 terms made this most of the page's data and of its serialisation.
	 */
	bySite: number[];
};

/** A percent as the page shows it: to one decimal, as the chart, the table and the CSV round it. */
export const percentOf = (count: number, of: number): number | null =>
	of > 0 ? Math.round((count / of) * 100 * 10) / 10 : null;

/** "n/N (p %)" as the incidence tables print a cell, or '—' when nobody was dosed. */
export const incidenceCell = (count: number, of: number): string =>
	of === 0 ? '—' : `${count}/${of} (${fmt(percentOf(count, of))} %)`;

export type BreachRow = {
	ruleId: string;
	label: string;
	breaches: number;
	sessionsAffected: number;
	per100: number | null;
};

export type PeakSeries = {
	measure: string;
	label: string;
	unit: string;
	/** The protocol's action-level high threshold, drawn on the histogram. */
	actionThreshold: number;
	/** Sessions with a reading of this measure. */
	sessions: number;
	/** Bin width in the measure's unit. */
	width: number;
	bins: Array<{ lower: number; upper: number; sessions: number }>;
};

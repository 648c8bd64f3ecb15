// What the safety-signals page sends to its charts: plain numbers, one row per term, rule or bin.
import { ratePer100 } from '../domain/statistics/rates';
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

/** Breaches per 100 dosing sessions to one decimal, as the page shows a site's rate (null: none). */
export const per100Of = (breaches: number, sessions: number): number | null => {
	const rate = ratePer100(breaches, sessions);
	return rate === null ? null : Math.round(rate * 10) / 10;
};

/**
 * Each site's figures as columns, one entry per site in the same order (the order of every
 * row's `bySite`): a trial's 64 sites as four short arrays rather than 64 objects a table.
 */
export type SiteColumns = {
	siteCode: string[];
	/** Participants dosed. */
	participants: number[];
	/** Dosing sessions. */
	sessions: number[];
	/** Vital-sign breaches (standing flags of the vital-sign rules). */
	breaches: number[];
};

/** The safety-signals page's data, as its read job returns it. */
export type SafetySignalsData = {
	study: { id: number; code: string; title: string };
	options: { sites: Array<{ code: string; name: string }>; doseGroups: string[] };
	/** The site the view is narrowed to, if any. */
	siteCode: string | null;
	dosed: { participants: number; sessions: number; bySite: SiteColumns };
	anyAe: IncidenceRow;
	terms: IncidenceRow[];
	specialInterest: IncidenceRow[];
	/** Most frequent first. */
	breachesByRule: BreachRow[];
	peaks: PeakSeries[];
};

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

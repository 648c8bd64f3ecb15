// What the safety-signals page sends to its charts: plain numbers, one row per term, rule or bin.

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
	bySite: Array<{ siteCode: string; count: number; of: number; percent: number | null }>;
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

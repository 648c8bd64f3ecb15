// What the cohort page sends to its charts: plain numbers, one row per visit (or point).

/** n/N as a percentage with its Wilson 95 % interval (percent, null when N = 0). */
export type RateCell = {
	count: number;
	of: number;
	percent: number | null;
	lower: number | null;
	upper: number | null;
};

/** A mean with its 95 % CI (null bounds when n < 2). */
export type MeanCell = {
	n: number;
	mean: number | null;
	lower: number | null;
	upper: number | null;
};

export type VisitRow = {
	visitCode: string;
	label: string;
	total: MeanCell;
	/** Points from baseline, after the first dose. */
	change: MeanCell;
	percentChange: MeanCell;
	response: RateCell;
	remission: RateCell;
};

export type GroupRows = {
	group: string;
	visits: VisitRow[];
};

export type LinePoint = {
	subjectCode: string;
	siteCode: string;
	doseGroup: string;
	visitCode: string;
	total: number;
};

export type ScatterPoint = {
	subjectCode: string;
	siteCode: string;
	doseGroup: string;
	baseline: number;
	total: number;
	percentChange: number;
};

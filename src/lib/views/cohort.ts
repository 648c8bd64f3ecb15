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
	response: RateCell;
	remission: RateCell;
};

/** Response or remission as the by-group tables show it: n/N (%), without the interval. */
export type GroupRate = Pick<RateCell, 'count' | 'of' | 'percent'>;

/** What the by-site and by-dose-group charts and tables show of a visit. */
export type GroupVisit = Pick<VisitRow, 'visitCode' | 'total'> & {
	response: GroupRate;
	remission: GroupRate;
};

export type GroupRows = {
	group: string;
	visits: GroupVisit[];
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

/**
 * A scatter's points as columns, each point once: the chart draws baseline against percent
 * change by dose group, and its table and CSV list subject, site and total beside them. Sites and
 * dose groups are given once each and named by their index. Up to 2,000 points a chart as objects
 * were about 100 bytes each in the page data, and the same points were rendered again as the
 * table's markup and as a CSV data: link.
 */
export type ScatterColumns = {
	subjectCode: string[];
	sites: string[];
	/** Index into `sites`. */
	site: number[];
	doseGroups: string[];
	/** Index into `doseGroups`. */
	doseGroup: number[];
	baseline: number[];
	total: number[];
	percentChange: number[];
};

/** The points as columns, in the same order. */
export function packScatter(points: readonly ScatterPoint[]): ScatterColumns {
	const out: ScatterColumns = {
		subjectCode: [],
		sites: [],
		site: [],
		doseGroups: [],
		doseGroup: [],
		baseline: [],
		total: [],
		percentChange: []
	};
	const indexOf = (list: string[], value: string) => {
		const at = list.indexOf(value);
		return at >= 0 ? at : list.push(value) - 1;
	};
	for (const p of points) {
		out.subjectCode.push(p.subjectCode);
		out.site.push(indexOf(out.sites, p.siteCode));
		out.doseGroup.push(indexOf(out.doseGroups, p.doseGroup));
		out.baseline.push(p.baseline);
		out.total.push(p.total);
		out.percentChange.push(p.percentChange);
	}
	return out;
}

/** The points again, in the same order (for the table and the CSV). */
export function unpackScatter(c: ScatterColumns): ScatterPoint[] {
	return c.subjectCode.map((subjectCode, i) => ({
		subjectCode,
		siteCode: c.sites[c.site[i]!]!,
		doseGroup: c.doseGroups[c.doseGroup[i]!]!,
		baseline: c.baseline[i]!,
		total: c.total[i]!,
		percentChange: c.percentChange[i]!
	}));
}

/**
 * What the scatter draws: for each dose group (all of them, in order, so a group keeps its colour
 * from chart to chart), its points as {x: baseline, y: % change} in the order given; groups
 * without a point are left out.
 */
export function scatterSeries(
	c: ScatterColumns,
	doseGroups: readonly string[]
): Array<{ group: number; label: string; data: Array<{ x: number; y: number }> }> {
	const byGroup = doseGroups.map(() => [] as Array<{ x: number; y: number }>);
	const at = c.doseGroups.map((g) => doseGroups.indexOf(g));
	for (let i = 0; i < c.baseline.length; i++) {
		byGroup[at[c.doseGroup[i]!]!]?.push({ x: c.baseline[i]!, y: c.percentChange[i]! });
	}
	return doseGroups
		.map((label, group) => ({ group, label, data: byGroup[group]! }))
		.filter((d) => d.data.length > 0);
}

/** The points table's columns (its CSV's header). */
export const SCATTER_COLUMNS = [
	{ key: 'subjectCode', label: 'Participant' },
	{ key: 'siteCode', label: 'Site' },
	{ key: 'doseGroup', label: 'Dose group' },
	{ key: 'baseline', label: 'Baseline' },
	{ key: 'total', label: 'Total' },
	{ key: 'percentChange', label: '% change' }
] as const;

/** The cohort's files are named after the study and the filters: `MDMA-TRD-01-01-120mg`. */
export function cohortSlug(studyCode: string, siteCode?: string | null, doseGroup?: string | null) {
	return [studyCode, siteCode, doseGroup]
		.filter(Boolean)
		.join('-')
		.replace(/[^A-Za-z0-9-]+/g, '');
}

/** The server's CSV of a follow-up's points (GET /cohort/points.csv), under the page's filters. */
export function pointsCsvHref(
	f: { studyId?: number; siteCode?: string | null; doseGroup?: string },
	followUp: string
): string {
	const q = new URLSearchParams();
	if (f.studyId) q.set('study', String(f.studyId));
	if (f.siteCode) q.set('site', f.siteCode);
	if (f.doseGroup) q.set('dose', f.doseGroup);
	q.set('at', followUp);
	return `/cohort/points.csv?${q}`;
}

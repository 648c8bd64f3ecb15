// What the cohort page sends to its charts: plain numbers, one row per visit (or point).
import { percentChange } from '../domain/statistics/rates';

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

/** A number as the cohort shows it: `digits` decimals, the last one rounded half up. */
export const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Percent change from baseline to one decimal, as the chart, its table and its CSV show it. */
export const roundedPercentChange = (baseline: number, total: number) =>
	round(percentChange(baseline, total) ?? Number.NaN, 1);

/**
 * Numbers as one string, "29.83,,24.18" (empty for null), and back. The page's data is written
 * into every page by devalue, which spends about 0.2 µs on each number of an array and next to
 * nothing on the characters of a string: 12,000 numbers cost the request thread about 2 ms as
 * arrays and 0.4 ms packed. String(x) gives back the same double.
 */
export const packNumbers = (xs: ReadonlyArray<number | null>): string =>
	xs.map((x) => (x === null ? '' : String(x))).join(',');

/** The `length` numbers packed by packNumbers ("" is [] or [null]: the length tells which). */
export function unpackNumbers(packed: string, length: number): Array<number | null> {
	if (length === 0) return [];
	const out = packed.split(',').map((x) => (x === '' ? null : Number(x)));
	if (out.length !== length) throw new Error(`${out.length} numbers packed, not ${length}`);
	return out;
}

/** Like unpackNumbers, for a column without nulls. */
const unpackCounts = (packed: string, length: number): number[] =>
	unpackNumbers(packed, length) as number[];

/**
 * The by-site or by-dose-group series as columns: every group has every visit, group by group in
 * the order of `groups`, each visit in the order of `visits`; each column packed (packNumbers),
 * groups × visits long. Percentages are worked out in the browser from n/N. At a trial's 64 sites
 * the series were 512 objects of 13 numbers in the page data, and as many table rows of markup.
 */
export type GroupColumns = {
	groups: string[];
	visits: string[];
	n: string;
	mean: string;
	lower: string;
	upper: string;
	responders: string;
	responseOf: string;
	remitters: string;
	remissionOf: string;
};

/** n/N as a percentage to one decimal (null when N = 0), as the tables show it. */
export const percentOf = (count: number, of: number) =>
	of > 0 ? round((count / of) * 100, 1) : null;

/** The groups as columns (see GroupColumns). */
export function packGroups(rows: readonly GroupRows[]): GroupColumns {
	const visits = rows.flatMap((g) => g.visits);
	const column = (value: (v: GroupVisit) => number | null) => packNumbers(visits.map(value));
	return {
		groups: rows.map((g) => g.group),
		visits: rows[0]?.visits.map((v) => v.visitCode) ?? [],
		n: column((v) => v.total.n),
		mean: column((v) => v.total.mean),
		lower: column((v) => v.total.lower),
		upper: column((v) => v.total.upper),
		responders: column((v) => v.response.count),
		responseOf: column((v) => v.response.of),
		remitters: column((v) => v.remission.count),
		remissionOf: column((v) => v.remission.of)
	};
}

/** The groups again, each with every visit, their percentages worked out. */
export function unpackGroups(c: GroupColumns): GroupRows[] {
	const length = c.groups.length * c.visits.length;
	const [n, responders, responseOf, remitters, remissionOf] = [
		c.n,
		c.responders,
		c.responseOf,
		c.remitters,
		c.remissionOf
	].map((column) => unpackCounts(column, length));
	const [mean, lower, upper] = [c.mean, c.lower, c.upper].map((column) =>
		unpackNumbers(column, length)
	);
	const rate = (count: number, of: number): GroupRate => ({
		count,
		of,
		percent: percentOf(count, of)
	});
	return c.groups.map((group, g) => ({
		group,
		visits: c.visits.map((visitCode, v) => {
			const i = g * c.visits.length + v;
			return {
				visitCode,
				total: {
					n: n![i]!,
					mean: mean![i] ?? null,
					lower: lower![i] ?? null,
					upper: upper![i] ?? null
				},
				response: rate(responders![i]!, responseOf![i]!),
				remission: rate(remitters![i]!, remissionOf![i]!)
			};
		})
	}));
}

/** The by-group tables: by site or by dose group (GET /cohort/groups.csv?by=). */
export const GROUP_TABLES = {
	site: { groupName: 'Site', file: 'by-site' },
	dose: { groupName: 'Dose group', file: 'by-dose-group' }
} as const;
export type GroupTable = keyof typeof GROUP_TABLES;

/** The by-group means table's columns (its CSV's header). */
export const groupMeanColumns = (groupName: string) => [
	{ key: 'group', label: groupName },
	{ key: 'visit', label: 'Visit' },
	{ key: 'n', label: 'n' },
	{ key: 'mean', label: 'Mean' },
	{ key: 'lower', label: '95 % CI lower' },
	{ key: 'upper', label: '95 % CI upper' }
];

/** The by-group means table's rows: each group's visits, as its chart draws them. */
export const groupMeanRows = (groups: readonly GroupRows[]) =>
	groups.flatMap((g) =>
		g.visits.map((v) => ({
			group: g.group,
			visit: v.visitCode,
			n: v.total.n,
			mean: v.total.mean,
			lower: v.total.lower,
			upper: v.total.upper
		}))
	);

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
 * What a scatter draws of its points, as columns, each point once: baseline against percent
 * change by dose group (dose groups named once each, and by their index). The numbers are packed
 * (see packNumbers) and the percent change is worked out in the browser from the baseline and the
 * total. The page carries no more: its table is listed from the server's CSV when it is opened.
 * Up to 2,000 points a chart as objects were about 100 bytes each in the page data, and the same
 * points were rendered again as the table's markup and as a CSV data: link.
 */
export type ScatterChart = {
	count: number;
	doseGroups: string[];
	/** Indexes into `doseGroups`, packed. */
	doseGroup: string;
	/** Packed. */
	baseline: string;
	/** Packed. */
	total: string;
};

/** What the points' table and CSV list beside what the chart draws: subject and site. */
export type ScatterListed = {
	subjectCode: string[];
	sites: string[];
	/** Indexes into `sites`, packed. */
	site: string;
};

export type ScatterColumns = ScatterChart & ScatterListed;

/** The points as columns, in the same order (their percent change is worked out again). */
export function packScatter(
	points: ReadonlyArray<Omit<ScatterPoint, 'percentChange'>>
): ScatterColumns {
	const sites: string[] = [];
	const doseGroups: string[] = [];
	const indexOf = (list: string[], value: string) => {
		const at = list.indexOf(value);
		return at >= 0 ? at : list.push(value) - 1;
	};
	return {
		count: points.length,
		subjectCode: points.map((p) => p.subjectCode),
		site: packNumbers(points.map((p) => indexOf(sites, p.siteCode))),
		sites,
		doseGroup: packNumbers(points.map((p) => indexOf(doseGroups, p.doseGroup))),
		doseGroups,
		baseline: packNumbers(points.map((p) => p.baseline)),
		total: packNumbers(points.map((p) => p.total))
	};
}

/** What the chart draws of the columns (the page's share), and what only the table lists. */
export const splitScatter = (
	c: ScatterColumns
): { chart: ScatterChart; listed: ScatterListed } => ({
	chart: {
		count: c.count,
		doseGroups: c.doseGroups,
		doseGroup: c.doseGroup,
		baseline: c.baseline,
		total: c.total
	},
	listed: { subjectCode: c.subjectCode, sites: c.sites, site: c.site }
});

/** The points again, in the same order, each with its percent change (for the CSV). */
export function unpackScatter(c: ScatterColumns): ScatterPoint[] {
	const site = unpackCounts(c.site, c.count);
	const doseGroup = unpackCounts(c.doseGroup, c.count);
	const baseline = unpackCounts(c.baseline, c.count);
	const total = unpackCounts(c.total, c.count);
	return c.subjectCode.map((subjectCode, i) => ({
		subjectCode,
		siteCode: c.sites[site[i]!]!,
		doseGroup: c.doseGroups[doseGroup[i]!]!,
		baseline: baseline[i]!,
		total: total[i]!,
		percentChange: roundedPercentChange(baseline[i]!, total[i]!)
	}));
}

/**
 * What the scatter draws: for each dose group (all of them, in order, so a group keeps its colour
 * from chart to chart), its points as {x: baseline, y: % change} in the order given; groups
 * without a point are left out.
 */
export function scatterSeries(
	c: ScatterChart,
	doseGroups: readonly string[]
): Array<{ group: number; label: string; data: Array<{ x: number; y: number }> }> {
	const byGroup = doseGroups.map(() => [] as Array<{ x: number; y: number }>);
	const at = c.doseGroups.map((g) => doseGroups.indexOf(g));
	const doseGroup = unpackCounts(c.doseGroup, c.count);
	const baseline = unpackCounts(c.baseline, c.count);
	const total = unpackCounts(c.total, c.count);
	for (let i = 0; i < c.count; i++) {
		byGroup[at[doseGroup[i]!]!]?.push({
			x: baseline[i]!,
			y: roundedPercentChange(baseline[i]!, total[i]!)
		});
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

/** The page's filters as the query of its CSVs. */
function filterQuery(f: { studyId?: number; siteCode?: string | null; doseGroup?: string }) {
	const q = new URLSearchParams();
	if (f.studyId) q.set('study', String(f.studyId));
	if (f.siteCode) q.set('site', f.siteCode);
	if (f.doseGroup) q.set('dose', f.doseGroup);
	return q;
}

/** The server's CSV of the by-site or by-dose-group means (GET /cohort/groups.csv). */
export function groupsCsvHref(
	f: { studyId?: number; siteCode?: string | null; doseGroup?: string },
	by: GroupTable
): string {
	const q = filterQuery(f);
	q.set('by', by);
	return `/cohort/groups.csv?${q}`;
}

/** The server's CSV of a follow-up's points (GET /cohort/points.csv), under the page's filters. */
export function pointsCsvHref(
	f: { studyId?: number; siteCode?: string | null; doseGroup?: string },
	followUp: string
): string {
	const q = filterQuery(f);
	q.set('at', followUp);
	return `/cohort/points.csv?${q}`;
}

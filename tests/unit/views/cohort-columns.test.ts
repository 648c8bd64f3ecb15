// The cohort's by-group series and baseline-against-change scatters travel as packed columns
// (each number once, in one string a column) and are unpacked in the browser: the columns give
// back the same rows in the same order, with the percentages and percent changes the server
// rounded and sent before, and the chart draws the same series it drew from one object per point.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	groupMeanColumns,
	groupMeanRows,
	packGroups,
	packNumbers,
	packScatter,
	scatterSeries,
	SCATTER_COLUMNS,
	splitScatter,
	unpackGroups,
	unpackNumbers,
	unpackScatter,
	type GroupRows,
	type ScatterPoint
} from '../../../src/lib/views/cohort';
import { parseCsv, toCsv } from '../../../src/lib/views/csv';
import { spreadsheetSafe } from '../../../src/lib/spreadsheet-safe';

const GROUPS = ['120 mg', '80 mg', 'placebo', '40 mg'];

/** How the server rounded before the browser did: round(x, d) = Math.round(x · 10^d) / 10^d. */
const roundedBefore = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
/** The percent change the server sent with each point (percentChange, then rounded). */
const changeBefore = (baseline: number, total: number) =>
	roundedBefore(((total - baseline) / baseline) * 100, 1);

const point: fc.Arbitrary<Omit<ScatterPoint, 'percentChange'>> = fc.record({
	subjectCode: fc.stringMatching(/^[0-9]{2}-[0-9]{3,4}$/),
	siteCode: fc.constantFrom('01', '02', 'B1'),
	doseGroup: fc.constantFrom(...GROUPS, 'unlisted'),
	baseline: fc.integer({ min: 1, max: 60 }),
	total: fc.integer({ min: 0, max: 60 })
});

/** The series as BaselineChangeScatter drew them from ScatterPoint[] (before the columns). */
const drawnBefore = (points: ScatterPoint[], doseGroups: string[]) =>
	doseGroups
		.map((group, i) => ({
			group: i,
			label: group,
			data: points
				.filter((p) => p.doseGroup === group)
				.map((p) => ({ x: p.baseline, y: p.percentChange }))
		}))
		.filter((d) => d.data.length > 0);

const withChange = (points: Array<Omit<ScatterPoint, 'percentChange'>>): ScatterPoint[] =>
	points.map((p) => ({ ...p, percentChange: changeBefore(p.baseline, p.total) }));

describe('numbers packed into a string', () => {
	it('come back as the same numbers, nulls and all, whatever the length', () => {
		const value = fc.oneof(
			fc.constant(null),
			fc.integer(),
			fc.double({ noNaN: true, noDefaultInfinity: true }),
			fc.integer({ min: -100000, max: 100000 }).map((x) => x / 100)
		);
		fc.assert(
			fc.property(fc.array(value, { maxLength: 50 }), (xs) => {
				// -0 travels as 0, which prints the same.
				const expected = xs.map((x) => (Object.is(x, -0) ? 0 : x));
				expect(unpackNumbers(packNumbers(xs), xs.length)).toEqual(expected);
			})
		);
		expect(unpackNumbers(packNumbers([null]), 1)).toEqual([null]);
		expect(unpackNumbers(packNumbers([]), 0)).toEqual([]);
	});

	it('refuse a column of another length', () => {
		expect(() => unpackNumbers('1,2,3', 2)).toThrow(/3 numbers packed, not 2/);
	});
});

describe('a CSV read back', () => {
	it('gives each row’s fields as the CSV wrote them (quotes, commas, line breaks)', () => {
		const text = fc.string({
			unit: fc.constantFrom('a', 'Z', '0', ' ', ',', '"', '\r', '\n', '=', '-', 'é')
		});
		fc.assert(
			fc.property(fc.array(fc.tuple(text, text, fc.integer()), { maxLength: 20 }), (rows) => {
				const columns = [
					{ key: 'a', label: 'A, first' },
					{ key: 'b', label: 'B "second"' },
					{ key: 'n', label: 'n' }
				];
				const csv = toCsv(
					columns,
					rows.map(([a, b, n]) => ({ a, b, n }))
				);
				expect(parseCsv(csv)).toEqual([
					['A, first', 'B "second"', 'n'],
					...rows.map(([a, b, n]) => [spreadsheetSafe(a), spreadsheetSafe(b), String(n)])
				]);
			})
		);
		expect(parseCsv('a,b\nc,d')).toEqual([
			['a', 'b'],
			['c', 'd']
		]);
	});
});

describe('the cohort scatter as columns', () => {
	it('gives back the same points in the same order, with the percent change sent before', () => {
		fc.assert(
			fc.property(fc.array(point, { maxLength: 300 }), (points) => {
				expect(unpackScatter(packScatter(points))).toEqual(withChange(points));
			})
		);
	});

	it('draws, from the page’s share alone, the same series, colours and order as the points did', () => {
		fc.assert(
			fc.property(
				fc.array(point, { maxLength: 300 }),
				fc.shuffledSubarray(GROUPS, { minLength: 0 }),
				(points, doseGroups) => {
					const { chart } = splitScatter(packScatter(points));
					expect(Object.keys(chart).sort()).toEqual([
						'baseline',
						'count',
						'doseGroup',
						'doseGroups',
						'total'
					]);
					expect(scatterSeries(chart, doseGroups)).toEqual(
						drawnBefore(withChange(points), doseGroups)
					);
				}
			)
		);
	});

	it('names each site and dose group once, and its CSV is the points CSV', () => {
		const points = [
			{ subjectCode: '01-002', siteCode: '01', doseGroup: '120 mg', baseline: 30, total: 12 },
			{ subjectCode: '01-003', siteCode: '01', doseGroup: '80 mg', baseline: 28, total: 27 },
			{ subjectCode: '02-001', siteCode: '02', doseGroup: '120 mg', baseline: 35, total: 10 }
		];
		const columns = packScatter(points);
		expect(columns).toMatchObject({ sites: ['01', '02'], site: '0,0,1' });
		expect(columns).toMatchObject({ doseGroups: ['120 mg', '80 mg'], doseGroup: '0,1,0' });
		expect(toCsv(SCATTER_COLUMNS, unpackScatter(columns))).toBe(
			'Participant,Site,Dose group,Baseline,Total,% change\r\n' +
				'01-002,01,120 mg,30,12,-60\r\n01-003,01,80 mg,28,27,-3.6\r\n02-001,02,120 mg,35,10,-71.4\r\n'
		);
	});
});

/** A group's rate as the server sent it: n/N and the percentage rounded to one decimal. */
const rate = fc
	.tuple(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 2000 }))
	.map(([a, b]) => {
		const [count, of] = a <= b ? [a, b] : [b, a];
		return { count, of, percent: of > 0 ? roundedBefore((count / of) * 100, 1) : null };
	});
const mean = fc.oneof(
	fc.constant(null),
	fc.integer({ min: -6000, max: 6000 }).map((x) => x / 100)
);

const groupRows: fc.Arbitrary<GroupRows[]> = fc
	.tuple(
		fc.uniqueArray(fc.stringMatching(/^[A-Z0-9]{1,4}$|^[0-9]{2,3} mg$/), { maxLength: 8 }),
		fc.uniqueArray(fc.constantFrom('SCR', 'BL', 'INT1b', 'FU1M', 'FU6M', 'FU12M'), {
			minLength: 1
		})
	)
	.chain(([groups, visits]) =>
		fc.tuple(
			...groups.map((group) =>
				fc
					.tuple(
						...visits.map((visitCode) =>
							fc.record({
								visitCode: fc.constant(visitCode),
								total: fc.record({ n: fc.nat(3000), mean, lower: mean, upper: mean }),
								response: rate,
								remission: rate
							})
						)
					)
					.map((visitRows) => ({ group, visits: visitRows }))
			)
		)
	);

describe('the by-site and by-dose-group series as columns', () => {
	it('give back the same groups, visits, means and rates, percentages as sent before', () => {
		fc.assert(
			fc.property(groupRows, (rows) => {
				expect(unpackGroups(packGroups(rows))).toEqual(rows);
			})
		);
	});

	it("list the means table's rows as the page's CSV before", () => {
		const rows: GroupRows[] = [
			{
				group: '01',
				visits: [
					{
						visitCode: 'BL',
						total: { n: 12, mean: 29.5, lower: 27.06, upper: 31.93 },
						response: { count: 0, of: 0, percent: null },
						remission: { count: 0, of: 12, percent: 0 }
					},
					{
						visitCode: 'FU6M',
						total: { n: 1, mean: 14, lower: null, upper: null },
						response: { count: 1, of: 1, percent: 100 },
						remission: { count: 1, of: 1, percent: 100 }
					}
				]
			}
		];
		const columns = packGroups(rows);
		expect(columns).toMatchObject({ n: '12,1', mean: '29.5,14', lower: '27.06,' });
		expect(toCsv(groupMeanColumns('Site'), groupMeanRows(unpackGroups(columns)))).toBe(
			'Site,Visit,n,Mean,95 % CI lower,95 % CI upper\r\n' +
				'01,BL,12,29.5,27.06,31.93\r\n01,FU6M,1,14,,\r\n'
		);
	});
});

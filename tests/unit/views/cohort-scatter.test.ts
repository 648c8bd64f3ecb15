// The cohort's baseline-against-change scatters travel as columns (each point once) and are drawn
// from them: the columns give back the same points in the same order, and the chart draws the
// same series the page drew from one object per point before.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	packScatter,
	scatterSeries,
	SCATTER_COLUMNS,
	unpackScatter,
	type ScatterPoint
} from '../../../src/lib/views/cohort';
import { toCsv } from '../../../src/lib/views/csv';

const GROUPS = ['120 mg', '80 mg', 'placebo', '40 mg'];

const point: fc.Arbitrary<ScatterPoint> = fc.record({
	subjectCode: fc.stringMatching(/^[0-9]{2}-[0-9]{3,4}$/),
	siteCode: fc.constantFrom('01', '02', 'B1'),
	doseGroup: fc.constantFrom(...GROUPS, 'unlisted'),
	baseline: fc.integer({ min: 1, max: 60 }),
	total: fc.integer({ min: 0, max: 60 }),
	percentChange: fc.integer({ min: -1000, max: 5000 }).map((x) => x / 10)
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

describe('the cohort scatter as columns', () => {
	it('gives back the same points in the same order', () => {
		fc.assert(
			fc.property(fc.array(point, { maxLength: 300 }), (points) => {
				expect(unpackScatter(packScatter(points))).toEqual(points);
			})
		);
	});

	it('draws the same series, colours (group index) and order as the points did', () => {
		fc.assert(
			fc.property(
				fc.array(point, { maxLength: 300 }),
				fc.shuffledSubarray(GROUPS, { minLength: 0 }),
				(points, doseGroups) => {
					expect(scatterSeries(packScatter(points), doseGroups)).toEqual(
						drawnBefore(points, doseGroups)
					);
				}
			)
		);
	});

	it('names each site and dose group once, and its CSV is the points CSV', () => {
		const points: ScatterPoint[] = [
			{
				subjectCode: '01-002',
				siteCode: '01',
				doseGroup: '120 mg',
				baseline: 30,
				total: 12,
				percentChange: -60
			},
			{
				subjectCode: '01-003',
				siteCode: '01',
				doseGroup: '80 mg',
				baseline: 28,
				total: 27,
				percentChange: -3.6
			},
			{
				subjectCode: '02-001',
				siteCode: '02',
				doseGroup: '120 mg',
				baseline: 35,
				total: 10,
				percentChange: -71.4
			}
		];
		const columns = packScatter(points);
		expect(columns).toMatchObject({ sites: ['01', '02'], site: [0, 0, 1] });
		expect(columns).toMatchObject({ doseGroups: ['120 mg', '80 mg'], doseGroup: [0, 1, 0] });
		expect(toCsv(SCATTER_COLUMNS, unpackScatter(columns))).toBe(
			'Participant,Site,Dose group,Baseline,Total,% change\r\n' +
				'01-002,01,120 mg,30,12,-60\r\n01-003,01,80 mg,28,27,-3.6\r\n02-001,02,120 mg,35,10,-71.4\r\n'
		);
	});
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kaplanMeier, kaplanMeierOfTallies } from '../../../src/lib/domain/statistics';

const Z = 1.95996;
const obs = (list: Array<[number, 0 | 1]>) => list.map(([time, e]) => ({ time, event: e === 1 }));

describe('Kaplan–Meier: DOMAIN-2.md §6 test data (weeks)', () => {
	// 4¹, 8¹, 8¹, 8⁰, 10⁰, 12¹, 16⁰, 16⁰ (checked there with scipy stats.ecdf)
	const curve = kaplanMeier(
		obs([
			[4, 1],
			[8, 1],
			[8, 1],
			[8, 0],
			[10, 0],
			[12, 1],
			[16, 0],
			[16, 0]
		]),
		Z
	);
	const at = (t: number) => curve.steps.find((s) => s.time === t)!;

	it.each([
		[4, 8, 1, 0.875, 0.1169, 0.387, 0.9814],
		[8, 7, 2, 0.625, 0.1712, 0.2293, 0.8607],
		[12, 3, 1, 0.4167, 0.2048, 0.072, 0.7473]
	])('t = %i: n %i, d %i, S %f, SE %f, CI %f–%f', (t, n, d, s, se, lo, hi) => {
		const step = at(t);
		expect(step.atRisk).toBe(n);
		expect(step.events).toBe(d);
		expect(step.survival).toBeCloseTo(s, 4);
		expect(step.se).toBeCloseTo(se, 4);
		expect(step.lower!).toBeCloseTo(lo, 4);
		expect(step.upper!).toBeCloseTo(hi, 4);
	});

	it('events come before censorings at the same time (8: 7 at risk, then 4 at 10)', () => {
		expect(at(8).censored).toBe(1);
		expect(at(10).atRisk).toBe(4);
		expect(at(10).survival).toBeCloseTo(0.625, 10);
	});

	it('median 12 weeks; names its method', () => {
		expect(curve.median).toBe(12);
		expect(curve.events).toBe(4);
		expect(curve.method).toMatch(/log-log/);
	});
});

describe('edges', () => {
	it('no events: S stays 1, no interval, no median', () => {
		const c = kaplanMeier(
			obs([
				[3, 0],
				[5, 0]
			])
		);
		expect(c.steps.every((s) => s.survival === 1 && s.lower === null)).toBe(true);
		expect(c.median).toBeNull();
	});

	it('the last at risk relapses: S 0, no interval', () => {
		const c = kaplanMeier(obs([[2, 1]]));
		expect(c.steps[0]).toMatchObject({ survival: 0, lower: null, upper: null });
		expect(c.median).toBe(2);
	});

	it('refuses negative times', () => {
		expect(() => kaplanMeier(obs([[-1, 1]]))).toThrow(RangeError);
	});
});

describe('properties', () => {
	const data = fc.array(fc.record({ time: fc.integer({ min: 0, max: 52 }), event: fc.boolean() }), {
		minLength: 1,
		maxLength: 40
	});

	it('S never rises, stays in 0…1, and the CI holds S', () => {
		fc.assert(
			fc.property(data, (d) => {
				const c = kaplanMeier(d);
				let prev = 1;
				for (const s of c.steps) {
					if (s.survival > prev + 1e-12 || s.survival < 0) return false;
					if (s.lower !== null && !(s.lower <= s.survival && s.survival <= s.upper!)) return false;
					prev = s.survival;
				}
				return true;
			})
		);
	});

	it('without censoring S is the share still event-free', () => {
		fc.assert(
			fc.property(
				fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 30 }),
				(ts) => {
					const c = kaplanMeier(ts.map((time) => ({ time, event: true })));
					return c.steps.every(
						(s) => Math.abs(s.survival - ts.filter((t) => t > s.time).length / ts.length) < 1e-9
					);
				}
			)
		);
	});

	it('counted by time and ending (as the cohort page reads them), the same curve', () => {
		fc.assert(
			fc.property(data, (d) => {
				const counts = new Map<string, number>();
				for (const o of d) {
					const key = `${o.time}:${o.event}`;
					counts.set(key, (counts.get(key) ?? 0) + 1);
				}
				// Any order, as a GROUP BY returns them.
				const tallies = [...counts].reverse().map(([key, count]) => {
					const [time, event] = key.split(':');
					return { time: Number(time), event: event === 'true', count };
				});
				expect(kaplanMeierOfTallies(tallies)).toEqual(kaplanMeier(d));
			})
		);
	});
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	bangIndex,
	jamesIndex,
	jamesReading,
	pool,
	tabulate
} from '../../../src/lib/domain/blinding';

const Z = 1.95996; // DOMAIN-2.md §2: two-sided 95 %

describe("Bang's and James' indices: DOMAIN-2.md §2 worked example", () => {
	// guessed MDMA 45 / 7, guessed placebo 2 / 38, don't know 3 / 5 (MDMA arm / placebo arm)
	const table = {
		active: { guessedActive: 45, guessedControl: 2, dontKnow: 3 },
		control: { guessedActive: 7, guessedControl: 38, dontKnow: 5 }
	};

	it('Bang per arm: 0.8600 (SE 0.0633) and 0.6200 (SE 0.1015)', () => {
		const mdma = bangIndex(table.active, 'active', Z)!;
		const placebo = bangIndex(table.control, 'control', Z)!;
		expect(mdma.estimate).toBeCloseTo(0.86, 4);
		expect(mdma.se).toBeCloseTo(0.0633, 4);
		expect(placebo.estimate).toBeCloseTo(0.62, 4);
		expect(placebo.se).toBeCloseTo(0.1015, 4);
		expect(mdma.lower).toBeCloseTo(0.86 - Z * mdma.se, 10);
	});

	it('James 0.1703, SE 0.0375, CI 0.0968–0.2437: unblinded (upper < 0.5)', () => {
		const j = jamesIndex(table, Z)!;
		expect(j.estimate).toBeCloseTo(0.1703, 4);
		expect(j.se).toBeCloseTo(0.0375, 4);
		expect(j.lower).toBeCloseTo(0.0968, 4);
		expect(j.upper).toBeCloseTo(0.2437, 4);
		expect(jamesReading(j)).toMatch(/unblinding/);
	});

	it('cross-check on Bang 2004 CRISP: Bang 0.2058 and 0.0144, James 0.7479', () => {
		const crisp = {
			active: { guessedActive: 82, guessedControl: 25, dontKnow: 170 },
			control: { guessedActive: 27, guessedControl: 29, dontKnow: 83 }
		};
		expect(bangIndex(crisp.active, 'active')!.estimate).toBeCloseTo(0.2058, 4);
		expect(bangIndex(crisp.control, 'control')!.estimate).toBeCloseTo(0.0144, 4);
		expect(jamesIndex(crisp)!.estimate).toBeCloseTo(0.7479, 4);
	});
});

describe('edge cases', () => {
	it('all "don\'t know": James 1 with SE 0, Bang undefined', () => {
		const t = {
			active: { guessedActive: 0, guessedControl: 0, dontKnow: 4 },
			control: { guessedActive: 0, guessedControl: 0, dontKnow: 3 }
		};
		expect(jamesIndex(t)).toMatchObject({ estimate: 1, se: 0, lower: 1, upper: 1 });
		expect(bangIndex(t.active, 'active')).toBeNull();
	});

	it('an empty table has no index', () => {
		const none = { guessedActive: 0, guessedControl: 0, dontKnow: 0 };
		expect(jamesIndex({ active: none, control: none })).toBeNull();
		expect(bangIndex(none, 'control')).toBeNull();
	});

	it('refuses negative or fractional counts', () => {
		expect(() =>
			bangIndex({ guessedActive: -1, guessedControl: 0, dontKnow: 0 }, 'active')
		).toThrow();
		expect(() =>
			bangIndex({ guessedActive: 1.5, guessedControl: 0, dontKnow: 0 }, 'active')
		).toThrow();
	});

	it('everyone right in both arms: Bang 1 in each arm, James 0', () => {
		const t = {
			active: { guessedActive: 10, guessedControl: 0, dontKnow: 0 },
			control: { guessedActive: 0, guessedControl: 10, dontKnow: 0 }
		};
		expect(bangIndex(t.active, 'active')!.estimate).toBe(1);
		expect(bangIndex(t.control, 'control')!.estimate).toBe(1);
		expect(jamesIndex(t)!.estimate).toBeCloseTo(0, 10);
	});

	it('everyone wrong: Bang −1', () => {
		expect(
			bangIndex({ guessedActive: 0, guessedControl: 6, dontKnow: 0 }, 'active')!.estimate
		).toBe(-1);
	});
});

const arm = fc.record({
	guessedActive: fc.nat(60),
	guessedControl: fc.nat(60),
	dontKnow: fc.nat(60)
});

describe('properties', () => {
	it('Bang = (correct − wrong) / n, within −1…1', () => {
		fc.assert(
			fc.property(arm, (g) => {
				const b = bangIndex(g, 'active');
				const n = g.guessedActive + g.guessedControl + g.dontKnow;
				if (g.guessedActive + g.guessedControl === 0) return b === null;
				expect(b!.estimate).toBeCloseTo((g.guessedActive - g.guessedControl) / n, 10);
				return b!.estimate >= -1 && b!.estimate <= 1 && b!.se >= 0;
			})
		);
	});

	it('James stays within 0…1 and rises with more "don\'t know"', () => {
		fc.assert(
			fc.property(arm, arm, (a, c) => {
				fc.pre(a.guessedActive + a.guessedControl > 0 && c.guessedActive + c.guessedControl > 0);
				const j = jamesIndex({ active: a, control: c });
				if (j === null) return true;
				return j.estimate >= -1e-9 && j.estimate <= 1 + 1e-9;
			})
		);
	});

	it('pooled counts add up to the table and say nothing per arm', () => {
		fc.assert(
			fc.property(arm, arm, (a, c) => {
				const p = pool({ active: a, control: c });
				const total =
					a.guessedActive +
					a.guessedControl +
					a.dontKnow +
					c.guessedActive +
					c.guessedControl +
					c.dontKnow;
				return p.n === total && Object.keys(p).sort().join() === 'active,control,dontKnow,n';
			})
		);
	});

	it('tabulate counts each guess under its actual arm', () => {
		const t = tabulate([
			{ respondent: 'participant', timepoint: 'DS1', guess: 'active', actual: 'active' },
			{ respondent: 'participant', timepoint: 'DS1', guess: 'dont-know', actual: 'control' },
			{ respondent: 'rater', timepoint: 'DS1', guess: 'active', actual: 'control' }
		]);
		expect(t.active).toEqual({ guessedActive: 1, guessedControl: 0, dontKnow: 0 });
		expect(t.control).toEqual({ guessedActive: 1, guessedControl: 0, dontKnow: 1 });
	});
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	compareTimepoints,
	integrityRows,
	jamesIndex,
	MIN_GUESSES_FOR_BLINDED_INDEX,
	type GuessRecord
} from '../../../src/lib/domain/blinding';

const record = fc.record({
	respondent: fc.constantFrom('participant', 'therapist', 'rater'),
	timepoint: fc.constantFrom('DS1', 'DS2', 'DS10', 'EOT'),
	guess: fc.constantFrom('active', 'control', 'dont-know'),
	actual: fc.constantFrom('active', 'control')
}) as fc.Arbitrary<GuessRecord>;

/** DOMAIN-2.md §2 worked example as records: 45/7 guessed MDMA, 2/38 placebo, 3/5 don't know. */
function workedExample(): GuessRecord[] {
	const out: GuessRecord[] = [];
	const add = (n: number, guess: GuessRecord['guess'], actual: GuessRecord['actual']) => {
		for (let i = 0; i < n; i++) {
			out.push({ respondent: 'participant', timepoint: 'EOT', guess, actual });
		}
	};
	add(45, 'active', 'active');
	add(2, 'control', 'active');
	add(3, 'dont-know', 'active');
	add(7, 'active', 'control');
	add(38, 'control', 'control');
	add(5, 'dont-know', 'control');
	return out;
}

describe('integrity rows', () => {
	it('the worked example: James 0.1703 for everyone; Bang 0.86 / 0.62 only with arms visible', () => {
		const blinded = integrityRows(workedExample(), { armsVisible: false, z: 1.95996 });
		expect(blinded).toHaveLength(1);
		expect(blinded[0]!.pooled).toEqual({ active: 52, control: 40, dontKnow: 8, n: 100 });
		expect(blinded[0]!.james!.estimate).toBeCloseTo(0.1703, 4);
		expect(blinded[0]!.perArm).toBeNull();
		const open = integrityRows(workedExample(), { armsVisible: true, z: 1.95996 });
		expect(open[0]!.perArm!.bangActive!.estimate).toBeCloseTo(0.86, 4);
		expect(open[0]!.perArm!.bangControl!.estimate).toBeCloseTo(0.62, 4);
	});

	it('withholds James from a blinded reader below the minimum, and shows it at the minimum', () => {
		const at = (n: number) =>
			Array.from({ length: n }, (_, i): GuessRecord => ({
				respondent: 'rater',
				timepoint: 'DS1',
				guess: i % 3 === 0 ? 'dont-know' : 'active',
				actual: i % 2 === 0 ? 'active' : 'control'
			}));
		const below = integrityRows(at(MIN_GUESSES_FOR_BLINDED_INDEX - 1), { armsVisible: false })[0]!;
		expect(below.james).toBeNull();
		expect(below.withheld).toMatch(/fewer than 10/);
		const atMin = integrityRows(at(MIN_GUESSES_FOR_BLINDED_INDEX), { armsVisible: false })[0]!;
		expect(atMin.withheld).toBeNull();
		expect(atMin.james).not.toBeNull();
	});

	it('orders timepoints by session number, end of treatment last', () => {
		expect(['EOT', 'DS10', 'DS2', 'DS1'].sort(compareTimepoints)).toEqual([
			'DS1',
			'DS2',
			'DS10',
			'EOT'
		]);
	});

	it('a blinded reader never gets a per-arm figure, and the pooled counts add up', () => {
		fc.assert(
			fc.property(fc.array(record, { maxLength: 60 }), (records) => {
				const rows = integrityRows(records, { armsVisible: false });
				const total = rows.reduce((s, r) => s + r.pooled.n, 0);
				return (
					total === records.length &&
					rows.every(
						(r) =>
							r.perArm === null && (r.pooled.n >= MIN_GUESSES_FOR_BLINDED_INDEX || r.james === null)
					)
				);
			})
		);
	});

	it('an unblinded reader gets James exactly as computed from the row’s table', () => {
		fc.assert(
			fc.property(fc.array(record, { maxLength: 60 }), (records) =>
				integrityRows(records, { armsVisible: true }).every(
					(r) =>
						r.withheld === null &&
						JSON.stringify(r.james) === JSON.stringify(jamesIndex(r.perArm!.table))
				)
			)
		);
	});
});

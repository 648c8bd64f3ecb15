import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	compareTimepoints,
	integrityRows,
	jamesIndex,
	type GuessRecord
} from '../../../src/lib/domain/blinding';
import { parseProtocol } from '../../../src/lib/domain/protocol';
import { DEMO_PROTOCOL_JSON } from '../../../src/lib/domain/protocol';

/** The minimum a protocol that leaves the setting out gets (its default). */
const DEFAULT_MINIMUM = (() => {
	const parsed = parseProtocol(DEMO_PROTOCOL_JSON);
	if (!parsed.ok) throw new Error('demo protocol');
	return parsed.protocol.blinding.minimumGuessesForBlindedIndex;
})();
const MIN = DEFAULT_MINIMUM;

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
		const blinded = integrityRows(workedExample(), {
			armsVisible: false,
			minimumForBlinded: MIN,
			z: 1.95996
		});
		expect(blinded).toHaveLength(1);
		expect(blinded[0]!.pooled).toEqual({ active: 52, control: 40, dontKnow: 8, n: 100 });
		expect(blinded[0]!.james!.estimate).toBeCloseTo(0.1703, 4);
		expect(blinded[0]!.perArm).toBeNull();
		const open = integrityRows(workedExample(), {
			armsVisible: true,
			minimumForBlinded: MIN,
			z: 1.95996
		});
		expect(open[0]!.perArm!.bangActive!.estimate).toBeCloseTo(0.86, 4);
		expect(open[0]!.perArm!.bangControl!.estimate).toBeCloseTo(0.62, 4);
	});

	const rowsOf = (n: number) =>
		Array.from({ length: n }, (_, i): GuessRecord => ({
			respondent: 'rater',
			timepoint: 'DS1',
			guess: i % 3 === 0 ? 'dont-know' : 'active',
			actual: i % 2 === 0 ? 'active' : 'control'
		}));

	it('withholds James from a blinded reader below the default minimum (10), and shows it at 10', () => {
		expect(DEFAULT_MINIMUM).toBe(10);
		const below = integrityRows(rowsOf(9), { armsVisible: false, minimumForBlinded: MIN })[0]!;
		expect(below.james).toBeNull();
		expect(below.withheld).toMatch(/fewer than 10/);
		const atMin = integrityRows(rowsOf(10), { armsVisible: false, minimumForBlinded: MIN })[0]!;
		expect(atMin.withheld).toBeNull();
		expect(atMin.james).not.toBeNull();
	});

	it('follows the protocol’s minimum at its boundary, for blinded readers only', () => {
		const row = (n: number, minimumForBlinded: number, armsVisible = false) =>
			integrityRows(rowsOf(n), { armsVisible, minimumForBlinded })[0]!;
		expect(row(3, 4).withheld).toMatch(/fewer than 4/);
		expect(row(4, 4).james).not.toBeNull();
		expect(row(24, 25).james).toBeNull();
		expect(row(25, 25).james).not.toBeNull();
		// A minimum of 1 shows every computable row; an unblinded reader is never held back.
		expect(row(2, 1).james).not.toBeNull();
		expect(row(2, 25, true).james).not.toBeNull();
		expect(row(2, 25, true).withheld).toBeNull();
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
				const rows = integrityRows(records, { armsVisible: false, minimumForBlinded: MIN });
				const total = rows.reduce((s, r) => s + r.pooled.n, 0);
				return (
					total === records.length &&
					rows.every((r) => r.perArm === null && (r.pooled.n >= MIN || r.james === null))
				);
			})
		);
	});

	it('an unblinded reader gets James exactly as computed from the row’s table', () => {
		fc.assert(
			fc.property(fc.array(record, { maxLength: 60 }), (records) =>
				integrityRows(records, { armsVisible: true, minimumForBlinded: MIN }).every(
					(r) =>
						r.withheld === null &&
						JSON.stringify(r.james) === JSON.stringify(jamesIndex(r.perArm!.table))
				)
			)
		);
	});
});

// How a stored value is held against the value its audit entry recorded, and how a record's
// entries are replayed, without a database.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/lib/server/audit/chain';
import {
	compareTable,
	jsonEqual,
	replay,
	sameValue
} from '../../../src/lib/server/audit/data-vs-trail';

describe('sameValue', () => {
	it.each([
		[120, 120, true],
		[120, '120', true], // PostgreSQL's bigint comes back as text
		[36.8, 36.8, true],
		[120, 121, false],
		[true, 1, true],
		[false, 0, true],
		[true, 0, false],
		[null, null, true],
		[null, 0, false],
		['x', null, false],
		[['death'], '["death"]', true],
		[['death'], '["hospitalisation"]', false],
		['2026-11-20T10:00:00+01:00', '2026-11-20T09:00:00.000Z', true],
		['2026-11-20T10:00:00+01:00', '2026-11-20T10:00:00.000Z', false],
		['withdrawn', 'enrolled', false]
	])('%j against %j: %s', (audited, stored, same) => {
		expect(sameValue(audited, stored)).toBe(same);
	});
});

describe('jsonEqual (an object column against its trail, compared in place)', () => {
	const canonicallyEqual = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);
	// JSON values, some with undefined members, Dates or non-finite numbers mixed in.
	const value = fc.oneof(
		{ weight: 4, arbitrary: fc.jsonValue() },
		{
			weight: 1,
			arbitrary: fc.anything({
				withDate: true,
				withNullPrototype: true,
				withSparseArray: false,
				withBigInt: false,
				withMap: false,
				withSet: false,
				withTypedArray: false,
				withBoxedValues: false
			})
		}
	);
	/** The same value rewritten: keys in another order, an undefined member, null for undefined. */
	const rewritten = (v: unknown): unknown => {
		if (Array.isArray(v)) return v.map(rewritten);
		if (v && typeof v === 'object' && !(v instanceof Date)) {
			const entries = Object.entries(v).reverse();
			return {
				...Object.fromEntries(entries.map(([k, x]) => [k, rewritten(x)])),
				added: undefined
			};
		}
		return v === undefined ? null : v;
	};
	it('says what the canonical texts say, or passes (null) to them', () => {
		fc.assert(
			fc.property(value, value, (a, b) => {
				let expected: boolean | 'throws';
				try {
					expected = canonicallyEqual(a, b);
				} catch {
					expected = 'throws';
				}
				const fast = jsonEqual(a, b);
				if (fast !== null) expect(fast).toBe(expected);
			}),
			{ numRuns: 2000 }
		);
	});
	it('finds a value equal to itself rewritten, and unequal once one member changes', () => {
		fc.assert(
			fc.property(fc.jsonValue(), (v) => {
				// A value the fast comparison hands to the canonical one (an own "__proto__" key) is
				// the property above's case.
				fc.pre(jsonEqual(v, v) !== null);
				expect(jsonEqual(v, rewritten(v))).toBe(true);
				expect(jsonEqual({ x: v }, { x: v, y: 1 })).toBe(false);
				expect(jsonEqual([v], [v, 0])).toBe(false);
				expect(jsonEqual({ x: v }, { x: [v] })).toBe(false);
			})
		);
	});
	it('hands a Date or a non-finite number to the canonical comparison', () => {
		expect(jsonEqual({ at: new Date(0) }, { at: '1970-01-01T00:00:00.000Z' })).toBeNull();
		expect(jsonEqual([Infinity], [Infinity])).toBeNull();
		expect(sameValue({ at: '1970-01-01T00:00:00.000Z' }, { at: new Date(0) })).toBe(true);
	});
	it("an object column (a scale's answers) changed in one answer is a difference", () => {
		expect(sameValue({ q1: 2, q2: 3 }, '{"q2":3,"q1":2}')).toBe(true);
		expect(sameValue({ q1: 2, q2: 3 }, '{"q2":3,"q1":1}')).toBe(false);
		expect(sameValue({ q1: 2, q2: 3 }, '{"q1":2}')).toBe(false);
		expect(sameValue({ q1: 2 }, '{"q1":2,"q2":null}')).toBe(false);
		expect(sameValue({ q1: [1, 2] }, '{"q1":[2,1]}')).toBe(false);
	});
});

describe('replaying a record', () => {
	const columns = new Set(['id', 'systolic', 'dosing_session_id', 'timepoint_label', 'birth_year']);
	it('keeps the latest audited value of each column, by column name, camelCase or alias', () => {
		const states = replay(
			'vital_reading',
			[
				{
					entity_id: '7',
					action: 'vitals.create',
					new_values: '{"systolic":124,"session":3,"timepoint":"PRE-DOSE"}'
				},
				{ entity_id: '7', action: 'vitals.update', new_values: '{"systolic":131}' },
				// A verification of the record states the source document, not the record's source.
				{ entity_id: '7', action: 'sdv.verify', new_values: '{"systolic":1,"source":null}' },
				{
					entity_id: '8',
					action: 'vitals.create',
					new_values: '{"confirmedWarnings":{"systolic":"jump"}}'
				}
			],
			columns
		);
		expect(Object.fromEntries(states.get('7')!)).toEqual({
			systolic: 131,
			dosing_session_id: 3,
			timepoint_label: 'PRE-DOSE'
		});
		expect(states.get('8')!.size).toBe(0);
		const p = replay(
			'participant',
			[{ entity_id: '1', action: 'participant.create', new_values: '{"birthYear":1980}' }],
			columns
		);
		expect(Object.fromEntries(p.get('1')!)).toEqual({ birth_year: 1980 });
	});

	it('merges a change to part of an object column into the value before it', () => {
		const answers = new Set(['id', 'answers']);
		const s = replay(
			'scale_administration',
			[
				{ entity_id: '1', action: 'scale.create', new_values: '{"answers":{"1":2,"2":3}}' },
				{ entity_id: '1', action: 'scale.update', new_values: '{"answers":{"2":4}}' }
			],
			answers
		);
		expect(s.get('1')!.get('answers')).toEqual({ '1': 2, '2': 4 });
		expect(compareTable('scale_administration', [{ id: 1, answers: '{"1":2,"2":4}' }], s)).toEqual(
			[]
		);
		expect(
			compareTable('scale_administration', [{ id: 1, answers: '{"1":2,"2":3}' }], s)
		).toHaveLength(1);
	});

	it('names rows without a trail and trails without a row; visits need no creation entry', () => {
		const states = replay(
			'vital_reading',
			[{ entity_id: '2', action: 'vitals.create', new_values: '{}' }],
			columns
		);
		expect(
			compareTable('vital_reading', [{ id: 1, systolic: 120 }], states).map((m) => m.message)
		).toEqual([
			'vital_reading 1 is in the database but has no entry in the audit trail',
			'vital_reading 2 is in the audit trail but its row is gone from the database'
		]);
		expect(compareTable('visit', [{ id: 1 }], new Map())).toEqual([]);
	});
});

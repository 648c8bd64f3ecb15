import fc from 'fast-check';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { describe, expect, it } from 'vitest';
import {
	canonicalJson,
	CHAIN_COLUMNS,
	chainHash,
	chainHashOfValues,
	ChainVerifier,
	GENESIS_HASH,
	joinChainParts,
	type ChainRow
} from '../../../src/lib/server/audit/chain';

describe('canonical JSON', () => {
	it('sorts keys at every depth and drops undefined members', () => {
		expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe(
			'{"a":{"d":[3,{"y":2,"z":1}]},"b":1}'
		);
	});
	it('does not depend on the order keys were written in', () => {
		fc.assert(
			fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
				const reversed = Object.fromEntries(Object.entries(obj).reverse());
				expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
			})
		);
	});
	it('round-trips through JSON.parse to an equal value', () => {
		fc.assert(
			fc.property(fc.jsonValue(), (v) => {
				expect(canonicalJson(JSON.parse(canonicalJson(v)))).toBe(canonicalJson(v));
			})
		);
	});
	it('refuses values with no JSON form', () => {
		expect(() => canonicalJson({ x: Number.NaN })).toThrow();
	});
});

function makeChain(n: number): ChainRow[] {
	const rows: ChainRow[] = [];
	let prev = GENESIS_HASH;
	for (let seq = 1; seq <= n; seq++) {
		const fields = {
			seq,
			at: new Date(Date.UTC(2026, 0, 1, 0, seq)).toISOString(),
			actor_id: seq % 3,
			actor_label: `user${seq % 3}@x.org`,
			actor_role: 'coordinator',
			site_id: 1,
			action: 'site.update',
			entity_type: 'site',
			entity_id: String(seq),
			old_values: canonicalJson({ name: `old ${seq}` }),
			new_values: canonicalJson({ name: `new ${seq}` }),
			reason: seq % 2 ? 'typo' : null,
			request_id: `r${seq}`,
			prev_hash: prev
		};
		const hash = chainHash(fields);
		rows.push({ ...fields, hash });
		prev = hash;
	}
	return rows;
}

function verify(rows: ChainRow[], head: { seq: number; hash: string } | null) {
	const v = new ChainVerifier();
	for (const row of rows) if (!v.push(row)) break;
	return v.finish(head);
}

const headOf = (rows: ChainRow[]) => ({ seq: rows.at(-1)!.seq, hash: rows.at(-1)!.hash });

describe('the audit hash chain', () => {
	it('hash = SHA-256(previous hash + canonical JSON of the row)', () => {
		const [row] = makeChain(1);
		expect(row!.hash).toMatch(/^[0-9a-f]{64}$/);
		expect(chainHash({ ...row!, reason: 'changed' })).not.toBe(row!.hash);
		expect(chainHash({ ...row!, prev_hash: '1'.repeat(64) })).not.toBe(row!.hash);
	});

	it('an untouched chain verifies, and so does an empty one', () => {
		const rows = makeChain(20);
		expect(verify(rows, headOf(rows))).toBeNull();
		expect(verify([], null)).toBeNull();
	});

	it('detects an edit of any field of any row, naming that row', () => {
		const rows = makeChain(12);
		const fields = [
			'at',
			'actor_label',
			'action',
			'entity_id',
			'old_values',
			'new_values',
			'reason'
		] as const;
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 11 }), fc.constantFrom(...fields), (i, field) => {
				const tampered = rows.map((r) => ({ ...r }));
				tampered[i] = { ...tampered[i]!, [field]: `${tampered[i]![field]}x` };
				const problem = verify(tampered, headOf(rows));
				expect(problem?.seq).toBe(i + 1);
				expect(problem?.kind).toBe('hash');
			})
		);
	});

	it('detects a deleted row anywhere, including the last', () => {
		const rows = makeChain(8);
		for (let i = 0; i < rows.length; i++) {
			const without = rows.filter((_, j) => j !== i);
			const problem = verify(without, headOf(rows));
			expect(problem, `deleting row ${i + 1}`).not.toBeNull();
		}
	});

	it('detects an inserted row, even one given a correct-looking hash', () => {
		const rows = makeChain(6);
		const forged = { ...rows[2]!, seq: 4, entity_id: 'forged', prev_hash: rows[2]!.hash };
		forged.hash = chainHash(forged);
		const withForgery = [
			...rows.slice(0, 3),
			forged,
			...rows.slice(3).map((r) => ({ ...r, seq: r.seq + 1 }))
		];
		const problem = verify(withForgery, headOf(rows));
		expect(problem?.seq).toBe(5);
	});

	it('detects reordered rows', () => {
		const rows = makeChain(5);
		const swapped = [rows[0]!, rows[2]!, rows[1]!, rows[3]!, rows[4]!];
		expect(verify(swapped, headOf(rows))?.seq).toBe(3);
	});
});

describe('a row read as values (CHAIN_COLUMNS order)', () => {
	const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constant('"\\\n\u2028'));
	const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
	const row = fc.record({
		seq: fc.integer({ min: 1, max: 2 ** 40 }),
		at: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
		actor_id: maybe(fc.integer()),
		actor_label: text,
		actor_role: text,
		site_id: maybe(fc.integer()),
		action: text,
		entity_type: text,
		entity_id: maybe(text),
		old_values: maybe(fc.jsonValue().map((v) => JSON.stringify(v))),
		new_values: maybe(text),
		reason: maybe(text),
		request_id: maybe(text),
		prev_hash: fc.string({ minLength: 64, maxLength: 64 })
	});

	it('hashes as chainHash hashes the row', () => {
		fc.assert(
			fc.property(row, (r) => {
				expect(chainHashOfValues(CHAIN_COLUMNS.map((c) => (c === 'hash' ? '' : r[c])))).toBe(
					chainHash(r)
				);
			}),
			{ numRuns: 300 }
		);
	});

	it('passes a value with no fast form (a number that is not finite) to chainHash', () => {
		const values = CHAIN_COLUMNS.map((c) =>
			c === 'seq' ? 1 : c === 'site_id' ? NaN : c === 'prev_hash' ? GENESIS_HASH : 'x'
		);
		expect(chainHashOfValues(values)).toBeNull();
		const v = new ChainVerifier();
		expect(() => v.pushValues(values)).toThrow(/Non-finite/);
	});
});

describe('the chain walked in runs and joined (audit verify on read workers)', () => {
	/** One walk from the first row: the first problem and the rows that chained before it. */
	function walk(rows: ChainRow[], head: { seq: number; hash: string } | null) {
		const v = new ChainVerifier();
		for (const row of rows) if (!v.push(row)) break;
		return { problem: v.finish(head), count: v.count };
	}
	/**
	 * The same rows cut at sequence numbers into runs, each walked alone, then joined; `asValues`:
	 * each row read as its values in CHAIN_COLUMNS order (verify's read of SQLite).
	 */
	function inRuns(
		rows: ChainRow[],
		head: { seq: number; hash: string } | null,
		cuts: number[],
		asValues = false
	) {
		const bounds = [0, ...[...new Set(cuts)].sort((a, b) => a - b), Infinity];
		const parts = bounds.slice(1).map((upTo, i) => {
			const v = new ChainVerifier({ part: true });
			for (const row of rows.filter((r) => r.seq > bounds[i]! && r.seq <= upTo)) {
				const pushed = asValues ? v.pushValues(CHAIN_COLUMNS.map((c) => row[c])) : v.push(row);
				if (!pushed) break;
			}
			return v.part();
		});
		return joinChainParts(parts, head);
	}
	const N = 14;
	// What a tampering can leave in a table keyed by seq, read back in seq order.
	const tampering = fc.oneof(
		fc.constant({ kind: 'none' as const }),
		fc.record({ kind: fc.constant('edit' as const), i: fc.nat(N - 1) }),
		fc.record({ kind: fc.constant('delete' as const), i: fc.nat(N - 1) }),
		fc.record({ kind: fc.constant('swap' as const), i: fc.nat(N - 1), j: fc.nat(N - 1) }),
		fc.record({
			kind: fc.constant('renumber' as const),
			i: fc.nat(N - 1),
			to: fc.integer({ min: N + 1, max: N + 5 })
		}),
		fc.record({ kind: fc.constant('append' as const), rehash: fc.boolean() }),
		fc.record({ kind: fc.constant('truncate' as const), n: fc.integer({ min: 1, max: 4 }) }),
		fc.record({ kind: fc.constant('head' as const), seq: fc.nat(N + 2) })
	);
	type Tampering = typeof tampering extends fc.Arbitrary<infer T> ? T : never;
	function tamper(rows: ChainRow[], t: Tampering) {
		let out = rows.map((r) => ({ ...r }));
		let head: { seq: number; hash: string } | null = headOf(rows);
		switch (t.kind) {
			case 'edit':
				out[t.i] = { ...out[t.i]!, reason: 'changed' };
				break;
			case 'delete':
				out.splice(t.i, 1);
				break;
			case 'swap': {
				const a = out[t.i]!;
				const b = out[t.j]!;
				out[t.i] = { ...b, seq: a.seq };
				out[t.j] = { ...a, seq: b.seq };
				break;
			}
			case 'renumber':
				out[t.i] = { ...out[t.i]!, seq: t.to };
				break;
			case 'append': {
				const last = out.at(-1)!;
				const extra = { ...last, seq: last.seq + 1, prev_hash: last.hash };
				extra.hash = t.rehash ? chainHash(extra) : last.hash;
				out.push(extra);
				break;
			}
			case 'truncate':
				out = out.slice(0, -t.n);
				break;
			case 'head':
				head = { seq: t.seq, hash: out[Math.max(0, t.seq - 1)]?.hash ?? GENESIS_HASH };
				break;
		}
		return { rows: out.sort((a, b) => a.seq - b.seq), head };
	}

	it('finds the same first problem and counts the same rows as one walk, wherever it is cut', () => {
		const rows = makeChain(N);
		fc.assert(
			fc.property(
				tampering,
				fc.array(fc.integer({ min: 0, max: N + 6 }), { maxLength: 5 }),
				(t, cuts) => {
					const { rows: tampered, head } = tamper(rows, t);
					const one = walk(tampered, head);
					expect(inRuns(tampered, head, cuts)).toEqual(one);
					expect(inRuns(tampered, head, cuts, true)).toEqual(one);
					const harmless =
						t.kind === 'none' ||
						(t.kind === 'swap' && t.i === t.j) ||
						(t.kind === 'head' && t.seq === N);
					if (!harmless) {
						expect(one.problem).not.toBeNull();
					}
				}
			),
			{ numRuns: 500 }
		);
	});

	it("holds a run's first row against the run before it: a row removed at a cut is still found", () => {
		const rows = makeChain(10);
		const without = rows.filter((r) => r.seq !== 6);
		expect(inRuns(without, headOf(rows), [5])).toEqual(walk(without, headOf(rows)));
		expect(inRuns(without, headOf(rows), [5]).problem).toMatchObject({ seq: 7, kind: 'sequence' });
		// A run whose first row was rewritten with its own links intact still breaks at the cut.
		const relinked = rows.map((r) => ({ ...r }));
		relinked[5] = { ...relinked[5]!, prev_hash: '1'.repeat(64) };
		relinked[5]!.hash = chainHash(relinked[5]!);
		expect(inRuns(relinked, headOf(rows), [5]).problem).toMatchObject({ seq: 6, kind: 'link' });
		expect(inRuns(rows, headOf(rows), [5])).toEqual({ count: 10, problem: null });
	});
});

describe('chainHash', () => {
	// The definition, written the slow way: SHA-256 (a JavaScript implementation) of the previous
	// hash and the canonical JSON of every covered field. The fast path must give the same hashes,
	// or every trail written before it would stop verifying.
	const FIELDS = [
		'seq',
		'at',
		'actor_id',
		'actor_label',
		'actor_role',
		'site_id',
		'action',
		'entity_type',
		'entity_id',
		'old_values',
		'new_values',
		'reason',
		'request_id',
		'prev_hash'
	] as const;
	const byDefinition = (row: Record<string, unknown>) => {
		const covered = Object.fromEntries(FIELDS.map((f) => [f, row[f]]));
		const text = String(row.prev_hash) + canonicalJson(covered);
		return encodeHexLowerCase(sha256(new TextEncoder().encode(text)));
	};
	const text = fc.oneof(
		fc.string(),
		fc.string({ unit: 'grapheme' }),
		fc.string({ unit: 'binary' })
	);
	const nullable = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
	const row = fc.record(
		{
			seq: fc.integer({ min: 1 }),
			at: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
			actor_id: nullable(fc.integer()),
			actor_label: text,
			actor_role: text,
			site_id: nullable(fc.integer()),
			action: text,
			entity_type: text,
			entity_id: nullable(text),
			old_values: nullable(fc.jsonValue().map((v) => JSON.stringify(v))),
			new_values: nullable(
				fc.oneof(
					text,
					fc.jsonValue().map((v) => JSON.stringify(v))
				)
			),
			reason: nullable(text),
			request_id: nullable(text),
			prev_hash: fc.oneof(
				fc.constant(GENESIS_HASH),
				fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 })
			)
		},
		{
			requiredKeys: ['seq', 'at', 'actor_label', 'actor_role', 'action', 'entity_type', 'prev_hash']
		}
	);
	it('is SHA-256 of the previous hash and the canonical JSON of the covered fields', () => {
		fc.assert(
			fc.property(row, fc.record({ hash: fc.string(), extra: fc.anything() }), (r, more) => {
				const hashed = chainHash(r as never);
				expect(hashed).toBe(byDefinition(r));
				// Columns it does not cover (the stored hash, anything else read back) change nothing.
				expect(chainHash({ ...r, ...more } as never)).toBe(hashed);
			}),
			{ numRuns: 500 }
		);
	});
	it('gives the same hash for a field read back as a Date as for its ISO text', () => {
		const r = { ...makeChain(1)[0]!, seq: 1 };
		const asDate = { ...r, at: new Date(r.at) } as unknown as ChainRow;
		expect(chainHash(asDate)).toBe(byDefinition(r));
	});
});

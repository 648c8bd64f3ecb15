// The chunk writer (VS CSV's bytes): whatever is written, in any mix of text, numbers, bytes and
// repeats, the chunks it hands on hold exactly the bytes of each piece encoded by Buffer.from, one
// after the other, including text outside ASCII, pairs of surrogates and lone ones, and records
// larger than a chunk (the working buffer grows); each chunk owns its whole memory (a read worker
// moves it to the request thread without a copy). (Each piece is encoded on its own: a pair split
// between two pieces is two replacement characters. VS's pieces meet at commas and line ends.)
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { CHUNK_BYTES, ChunkWriter } from '../../../src/lib/server/export/chunk-writer';

const unit = fc.constantFrom('a', 'Z', ',', '"', '\r\n', '0', 'é', 'セ', '😀', '\ud800', '\udc00');
const text = fc.oneof(
	fc.string({ unit, maxLength: 80 }),
	fc.string({ unit, minLength: 60, maxLength: 300 }),
	fc.integer({ min: 1, max: 40_000 }).map((n) => 'x'.repeat(n) + 'é')
);

type Op =
	{ text: string } | { digits: number } | { bytes: string } | { byte: number } | { again: true };

const op: fc.Arbitrary<Op> = fc.oneof(
	text.map((t) => ({ text: t })),
	fc
		.oneof(fc.nat(), fc.constantFrom(0, 9, 10, 99, 100, 2 ** 53, -1, 1.5))
		.map((n) => ({ digits: n })),
	text.map((t) => ({ bytes: t })),
	fc.integer({ min: 0, max: 127 }).map((c) => ({ byte: c })),
	fc.constant({ again: true as const })
);

it('hands on the bytes of the text written, in chunks of their own memory', () => {
	fc.assert(
		fc.property(fc.array(op, { maxLength: 200 }), fc.nat(), (ops, taken) => {
			const w = new ChunkWriter();
			const chunks: Buffer[] = [];
			const expected: Buffer[] = [];
			// Since the last take: where the last piece's bytes start and end, and its text.
			let last: { start: number; end: number; text: string } | null = null;
			ops.forEach((o, i) => {
				const start = w.at;
				let written = '';
				if ('text' in o) {
					w.text((written = o.text));
				} else if ('digits' in o) {
					w.digits(o.digits);
					written = String(o.digits);
				} else if ('bytes' in o) {
					w.bytes(Buffer.from((written = o.bytes)));
				} else if ('byte' in o) {
					w.byte(o.byte);
					written = String.fromCharCode(o.byte);
				} else if (last) {
					w.again(last.start, last.end);
					written = last.text;
				}
				expected.push(Buffer.from(written));
				last = { start, end: w.at, text: written };
				if (w.full || i % (taken % 50 || 50) === 0) {
					chunks.push(w.take());
					last = null;
				}
			});
			chunks.push(w.take());
			for (const c of chunks) {
				expect(c.byteOffset).toBe(0);
				expect(c.buffer.byteLength).toBe(c.length);
			}
			expect(Buffer.concat(chunks).equals(Buffer.concat(expected))).toBe(true);
		}),
		{ numRuns: 300, seed: 1207 }
	);
});

it('is full at a chunk, and grows past it for a record larger than its room', () => {
	const w = new ChunkWriter();
	const big = 'é'.repeat(CHUNK_BYTES);
	w.text('a');
	expect(w.full).toBe(false);
	w.text(big);
	expect(w.full).toBe(true);
	const chunk = w.take();
	expect(chunk.equals(Buffer.from('a' + big))).toBe(true);
	expect(w.at).toBe(0);
});

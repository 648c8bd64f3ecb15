// The XPT writer spools rows as the bytes their observations hold and copies them back: the file
// must be byte for byte what the JSON-spooling writer wrote (tests/helpers/xpt-reference.ts), for
// any text (ASCII, 2-4 byte UTF-8, lone surrogates, empty, up to 200 bytes), any number (negative,
// -0, subnormal, NaN, numeric text, text that is no number), missing values, and files larger
// than the spool's buffer and the read-back chunk.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QS, type SdtmRow } from '../../../src/lib/domain/sdtm';
import { isNumeric } from '../../../src/lib/domain/sdtm';
import { xptChunks } from '../../../src/lib/server/export/xpt/writer';
import { referenceXpt } from '../../helpers/xpt-reference';

const created = new Date('2026-12-07T10:00:00Z');

async function written(rows: SdtmRow[], pages: boolean): Promise<Buffer> {
	async function* source() {
		if (pages) {
			for (let i = 0; i < rows.length; i += 7) yield rows.slice(i, i + 7);
		} else {
			yield* rows;
		}
	}
	const parts: Buffer[] = [];
	for await (const chunk of xptChunks(QS, source(), created)) parts.push(chunk);
	return Buffer.concat(parts);
}

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

const text = fc
	.oneof(
		fc.string({
			unit: fc.constantFrom(
				'a',
				'Z',
				' ',
				',',
				'"',
				'\n',
				'=',
				'1',
				'é',
				'セ',
				'😀',
				'\ud800',
				'\udc00'
			)
		}),
		fc.string({ unit: 'binary', maxLength: 60 }),
		fc.string({ minLength: 80, maxLength: 200 }),
		fc.string({ unit: fc.constantFrom('é', 'セ', 'a'), minLength: 60, maxLength: 100 })
	)
	.filter((s) => utf8(s) <= 200);

const number = fc.oneof(
	fc.double(),
	fc.integer({ min: -1000, max: 1000 }),
	fc.constantFrom(-0, 5e-324, 0.1, 1e-300)
);

const value = (numeric: boolean) =>
	fc.oneof(
		{ arbitrary: numeric ? number : text, weight: 6 },
		{ arbitrary: fc.constantFrom(null, undefined, ''), weight: 1 },
		{ arbitrary: numeric ? fc.constantFrom('12', '-3.5', 'x', ' 4 ') : number, weight: 1 }
	);

const row = fc.record(
	Object.fromEntries(QS.variables.map((v) => [v.name, value(isNumeric(v))]))
) as fc.Arbitrary<SdtmRow>;

describe('xptChunks', () => {
	it('writes the bytes the JSON-spooling writer wrote, for any values', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(row, { maxLength: 30 }), fc.boolean(), async (rows, pages) => {
				// Numbers beyond the IBM range are refused by both; the property is about the rest.
				let reference: Buffer;
				try {
					reference = referenceXpt(QS, rows, created);
				} catch (e) {
					await expect(written(rows, pages)).rejects.toThrow((e as Error).message);
					return;
				}
				expect((await written(rows, pages)).equals(reference)).toBe(true);
			}),
			{ numRuns: 300, seed: 1207 }
		);
	});

	it('writes a file larger than its spool buffer and its chunks the same', async () => {
		const rows: SdtmRow[] = Array.from({ length: 20_000 }, (_, i) => ({
			STUDYID: 'MAPP1',
			DOMAIN: 'QS',
			USUBJID: `MAPP1-${i % 97}`,
			QSSEQ: i + 1,
			QSTESTCD: i % 5 === 0 ? `${'long test text '.repeat(6)}${i}` : 'CAPS01',
			QSTEST: i % 3 === 0 ? 'セルトラリン錠'.repeat(9) : `test ${i}`,
			QSORRES: String(i % 4),
			QSSTRESN: i % 11 === 0 ? null : (i % 4) / 3,
			VISITNUM: i / 7
		}));
		const file = await written(rows, true);
		expect(file.length).toBeGreaterThan(6 * 1024 * 1024); // the spool: over 2 MB
		expect(file.equals(referenceXpt(QS, rows, created))).toBe(true);
	});
});

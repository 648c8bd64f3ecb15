// The CSV writer (csv-stringify with Vigil's options): any record read back by an independent
// parser gives the values written, text neutralised for spreadsheets, numbers exact.
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	csvChunks,
	csvLine,
	csvStream,
	rowLine,
	stringifiedLine
} from '../../src/lib/server/export/csv';
import { spreadsheetSafe } from '../../src/lib/spreadsheet-safe';

describe('csvLine', () => {
	it('round-trips through csv-parse: text (spreadsheet-safe), numbers, empty fields', () => {
		const field = fc.oneof(
			fc.string({ unit: fc.constantFrom('a', ',', '"', '\r', '\n', ' ', '=', '-', '1', 'é') }),
			fc.double({ noNaN: true, noDefaultInfinity: true }),
			fc.constant(null)
		);
		fc.assert(
			fc.property(fc.array(field, { minLength: 2, maxLength: 6 }), (values) => {
				const line = csvLine(values);
				expect(line.endsWith('\r\n')).toBe(true);
				const [back] = parse(line, { relax_quotes: false }) as string[][];
				expect(back).toEqual(
					values.map((v) =>
						v === null
							? ''
							: typeof v === 'number'
								? Object.is(v, -0)
									? '0'
									: String(v)
								: spreadsheetSafe(v)
					)
				);
			})
		);
	});

	it('quotes a lone line break (RFC 4180 §2.6), which the library leaves bare unless told', () => {
		expect(csvLine(['a\nb', 'c\rd', 'e'])).toBe('"a\nb","c\rd",e\r\n');
	});
	it('writes every record exactly as the library does with the same options', () => {
		const value = fc.oneof(
			fc.string({
				unit: fc.constantFrom(
					'a',
					',',
					'"',
					'\r',
					'\n',
					' ',
					'=',
					'+',
					'-',
					'@',
					'\t',
					'\0',
					'1',
					'.',
					'é'
				)
			}),
			fc.string({ unit: 'binary' }),
			fc.double(),
			fc.integer(),
			fc.constantFrom(null, undefined, '', -0, Number.NaN, Infinity, '-PT30M', '+3', '1e-3'),
			// Values only the library writes (the fallback): booleans, big integers, dates.
			fc.boolean(),
			fc.bigInt(),
			fc.date({ noInvalidDate: true })
		);
		fc.assert(
			fc.property(fc.array(value, { maxLength: 8 }), (values) => {
				expect(csvLine(values as never)).toBe(stringifiedLine(values as never));
			}),
			{ numRuns: 2000 }
		);
	});
});

describe('rowLine', () => {
	it("writes a row's columns in order exactly as the library writes their values", () => {
		// Column names an object literal or generated code could misread, and rows of any shape.
		const columns = ['A', 'b c', '__proto__x', "q'uote", 'constructor', 'B'] as const;
		const value = fc.oneof(
			fc.string({
				unit: fc.constantFrom('a', ',', '"', '\r', '\n', '=', '-', '@', '\t', '1', 'é')
			}),
			fc.double(),
			fc.constantFrom(null, undefined, '', -0, Number.NaN, '-PT30M', '+3'),
			fc.boolean(),
			fc.date({ noInvalidDate: true })
		);
		fc.assert(
			fc.property(
				fc.array(value, { minLength: 6, maxLength: 6 }),
				fc.boolean(),
				(values, holes) => {
					const row = Object.fromEntries(
						columns.flatMap((c, i) => (holes && i % 2 === 1 ? [] : [[c, values[i]]]))
					) as Record<(typeof columns)[number], never>;
					expect(rowLine(columns, row)).toBe(stringifiedLine(columns.map((c) => row[c])));
				}
			),
			{ numRuns: 2000 }
		);
	});
});

describe('csvChunks', () => {
	async function* from<T>(items: T[]) {
		for (const item of items) yield item;
	}
	async function bytesOf(chunks: AsyncIterable<Uint8Array>): Promise<string> {
		const parts: Uint8Array[] = [];
		for await (const c of chunks) parts.push(c);
		return Buffer.concat(parts).toString('utf8');
	}

	it('writes the same file from rows one by one, from pages of rows, and as csvStream does', async () => {
		const columns = ['A', 'B', 'C'] as const;
		const row = fc.record({
			A: fc.oneof(fc.string(), fc.constant(null)),
			B: fc.oneof(fc.double(), fc.integer(), fc.constant(undefined)),
			C: fc.string({ unit: fc.constantFrom('x', ',', '"', '\n', '=', 'é', '😀') })
		});
		await fc.assert(
			fc.asyncProperty(
				fc.array(fc.array(row, { maxLength: 40 }), { maxLength: 30 }),
				async (pages) => {
					const rows = pages.flat();
					const expected = await new Response(csvStream(columns, from(rows))).text();
					expect(await bytesOf(csvChunks(columns, from(rows)))).toBe(expected);
					expect(await bytesOf(csvChunks(columns, from(pages)))).toBe(expected);
				}
			),
			{ numRuns: 200 }
		);
	});

	it('hands on chunks of about 64 KB, never splitting a character', async () => {
		const columns = ['T'] as const;
		const rows = Array.from({ length: 20_000 }, (_, i) => ({ T: `é${i}😀` }));
		const sizes: number[] = [];
		let text = '';
		const decoder = new TextDecoder('utf-8', { fatal: true });
		for await (const c of csvChunks(columns, from([rows]))) {
			sizes.push(c.length);
			text += decoder.decode(c); // throws on a split character
		}
		expect(sizes.length).toBeGreaterThan(2);
		for (const size of sizes.slice(0, -1)) expect(size).toBeGreaterThanOrEqual(64 * 1024);
		expect(text.split('\r\n').length).toBe(rows.length + 2);
	});
});

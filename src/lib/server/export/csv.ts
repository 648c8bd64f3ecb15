// RFC 4180 CSV, streamed: a header line, then one line per row, CRLF line ends. A field is quoted
// when it holds a comma, a double quote, CR or LF; a quote inside is doubled (RFC 4180 §2.6–2.7).
// Text that a spreadsheet would run as a formula is neutralised here, the one place every server
// CSV cell is written (see spreadsheet-safe.ts).
import { spreadsheetSafe } from '../../spreadsheet-safe';
import { textStream } from './stream';

export type CsvValue = string | number | null | undefined;
export type CsvRow<C extends string> = Readonly<Record<C, CsvValue>>;

const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(value: CsvValue): string {
	if (value === null || value === undefined) return '';
	const text = typeof value === 'number' ? numberText(value) : spreadsheetSafe(value);
	return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A number as written in the record; -0 as 0, and no NaN or Infinity in a data file. */
function numberText(n: number): string {
	if (!Number.isFinite(n)) return '';
	return Object.is(n, -0) ? '0' : String(n);
}

export function csvLine(values: readonly CsvValue[]): string {
	return values.map(csvField).join(',') + '\r\n';
}

async function* csvLines<C extends string>(
	columns: readonly C[],
	rows: AsyncIterable<CsvRow<C>>
): AsyncGenerator<string> {
	yield csvLine(columns);
	for await (const row of rows) yield csvLine(columns.map((c) => row[c]));
}

/** The rows as a CSV byte stream, read from `rows` only as fast as the client takes them. */
export function csvStream<C extends string>(
	columns: readonly C[],
	rows: AsyncIterable<CsvRow<C>>
): ReadableStream<Uint8Array> {
	return textStream(csvLines(columns, rows));
}

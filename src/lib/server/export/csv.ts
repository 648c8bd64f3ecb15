// RFC 4180 CSV, streamed: a header line, then one line per row, CRLF line ends, written by
// csv-stringify. A field is quoted when it holds a comma, a double quote, CR or LF (the library
// quotes a lone CR or LF only when told to: quoted_match), and a quote inside is doubled (RFC 4180
// §2.6–2.7). Text that a spreadsheet would run as a formula is neutralised here, the one place
// every server CSV cell is written (see spreadsheet-safe.ts).
import { stringify, type Options } from 'csv-stringify/sync';
import { spreadsheetSafe } from '../../spreadsheet-safe';
import { textStream } from './stream';

export type CsvValue = string | number | null | undefined;
export type CsvRow<C extends string> = Readonly<Record<C, CsvValue>>;

/** A number as written in the record; -0 as 0, and no NaN or Infinity in a data file. */
export function numberText(n: number): string {
	if (!Number.isFinite(n)) return '';
	return Object.is(n, -0) ? '0' : String(n);
}

const OPTIONS: Options = {
	record_delimiter: '\r\n',
	// RFC 4180 §2.6: any line break inside a field is quoted, not only a whole CRLF.
	quoted_match: /[\r\n]/,
	cast: { number: numberText, string: spreadsheetSafe }
};

/** A field that must be quoted: it holds the delimiter, a quote or a line break. */
const NEEDS_QUOTES = /[,"\r\n]/;

/**
 * One field exactly as the library writes it with OPTIONS, or null for a value it alone knows how
 * to write (the library re-reads its options for every record: that was most of an export's CSV
 * time, so the common values are written here and the test holds both to the same output).
 */
function fastField(value: unknown): string | null {
	if (value === null || value === undefined) return '';
	if (typeof value === 'number') return numberText(value);
	if (typeof value !== 'string') return null;
	return textField(value);
}

/** A string field: spreadsheet-safe, then quoted where needed. */
export function textField(value: string): string {
	// spreadsheetSafe's own test, by character code first: most text starts with none of its
	// characters (= + - @ TAB CR LF NUL), and a regular expression per field was a tenth of an export.
	const c = value.charCodeAt(0);
	const text =
		c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13 || c === 10 || c === 0
			? spreadsheetSafe(value)
			: value;
	return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The library's own writing of one record (the reference, and any value fastField leaves). */
export function stringifiedLine(values: readonly CsvValue[]): string {
	// null and undefined are empty fields; the library writes them so.
	return stringify([values as CsvValue[]], OPTIONS);
}

/** One record: its fields joined by commas, quoted where needed, ended by CRLF. */
export function csvLine(values: readonly CsvValue[]): string {
	let line = '';
	for (let i = 0; i < values.length; i++) {
		const field = fastField(values[i]);
		if (field === null) return stringifiedLine(values);
		line += i === 0 ? field : ',' + field;
	}
	return line + '\r\n';
}

/** One field as it appears in a record. */
export function csvField(value: CsvValue): string {
	return fastField(value) ?? stringifiedLine([value]).slice(0, -2);
}

type LineOf<C extends string> = (row: CsvRow<C>) => string;

const lineWriters = new WeakMap<readonly string[], LineOf<string>>();

/**
 * One row's record, its fields in the order of `columns`: a function made once per column list
 * that reads each column by its own name (new Function, as db/driver.ts makes its rows), so every
 * read is a plain property load rather than a lookup by a computed key (an export's rows all have
 * one shape). Any value fastField leaves goes to the library, as csvLine does.
 */
function lineWriter<C extends string>(columns: readonly C[]): LineOf<C> {
	let write = lineWriters.get(columns);
	if (!write) {
		const reads = columns.map(
			(c, i) =>
				`v = row[${JSON.stringify(c)}];
				f = v === null || v === undefined ? '' : typeof v === 'string' ? text(v) : typeof v === 'number' ? num(v) : null;
				if (f === null) return slow(row);
				${i === 0 ? 'line = f;' : "line += ',' + f;"}`
		);
		const slow = (row: CsvRow<string>) => stringifiedLine(columns.map((c) => row[c]));
		write = new Function(
			'text',
			'num',
			'slow',
			`return function line(row) { let v, f, line = ''; ${reads.join('\n')} return line + '\\r\\n'; };`
		)(textField, numberText, slow) as LineOf<string>;
		lineWriters.set(columns, write);
	}
	return write as LineOf<C>;
}

/** One row's record, its fields in the order of `columns`. */
export function rowLine<C extends string>(columns: readonly C[], row: CsvRow<C>): string {
	return lineWriter(columns)(row);
}

/** Text gathered before it is encoded and handed on: about one read chunk (READ_CHUNK_BYTES). */
const CHUNK_CHARS = 64 * 1024;

/**
 * The rows as CSV bytes: a header line, then one line per row. `rows` may give rows one by one or
 * a page of them at a time (an array), which costs one step of the iteration per page, not per row.
 */
export async function* csvChunks<C extends string>(
	columns: readonly C[],
	rows: AsyncIterable<CsvRow<C> | readonly CsvRow<C>[]>
): AsyncGenerator<Uint8Array> {
	const line = lineWriter(columns);
	let text = csvLine(columns);
	for await (const item of rows) {
		if (Array.isArray(item)) {
			for (const row of item as readonly CsvRow<C>[]) {
				text += line(row);
				if (text.length >= CHUNK_CHARS) {
					yield Buffer.from(text);
					text = '';
				}
			}
		} else {
			text += line(item as CsvRow<C>);
			if (text.length >= CHUNK_CHARS) {
				yield Buffer.from(text);
				text = '';
			}
		}
	}
	if (text.length > 0) yield Buffer.from(text);
}

async function* csvLines<C extends string>(
	columns: readonly C[],
	rows: AsyncIterable<CsvRow<C>>
): AsyncGenerator<string> {
	const line = lineWriter(columns);
	yield csvLine(columns);
	for await (const row of rows) yield line(row);
}

/** The rows as a CSV byte stream, read from `rows` only as fast as the client takes them. */
export function csvStream<C extends string>(
	columns: readonly C[],
	rows: AsyncIterable<CsvRow<C>>
): ReadableStream<Uint8Array> {
	return textStream(csvLines(columns, rows));
}

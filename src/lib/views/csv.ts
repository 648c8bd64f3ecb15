// CSV for chart data downloads (RFC 4180: quote fields with commas, quotes or line breaks), with
// the same formula rule as the server's exports.
import { spreadsheetSafe } from '../spreadsheet-safe';

export type Cell = string | number | boolean | null | undefined;

function field(value: Cell): string {
	if (value === null || value === undefined) return '';
	const text = typeof value === 'string' ? spreadsheetSafe(value) : String(value);
	return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(
	columns: ReadonlyArray<{ key: string; label: string }>,
	rows: ReadonlyArray<Record<string, Cell>>
): string {
	const lines = [columns.map((c) => field(c.label)).join(',')];
	for (const row of rows) lines.push(columns.map((c) => field(row[c.key])).join(','));
	return lines.join('\r\n') + '\r\n';
}

/** A data: URL, so the download works without JavaScript and without another request. */
export function csvHref(csv: string): string {
	return `data:text/csv;charset=utf-8,${encodeURIComponent(csv)}`;
}

/**
 * The rows of a CSV as toCsv writes it (RFC 4180: quoted fields, doubled quotes, CRLF or LF line
 * ends), each field as its text: what a table fetched from a CSV link shows.
 */
export function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const ch = text[i]!;
		if (quoted) {
			if (ch !== '"') field += ch;
			else if (text[i + 1] === '"') field += text[i++]!;
			else quoted = false;
		} else if (ch === '"') {
			quoted = true;
		} else if (ch === ',') {
			row.push(field);
			field = '';
		} else if (ch === '\n' || (ch === '\r' && text[i + 1] === '\n')) {
			if (ch === '\r') i++;
			row.push(field);
			rows.push(row);
			row = [];
			field = '';
		} else {
			field += ch;
		}
	}
	if (field !== '' || row.length > 0) rows.push([...row, field]);
	return rows;
}

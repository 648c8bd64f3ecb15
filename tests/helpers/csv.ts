// Reading CSV back in tests with an independent parser (csv-parse), strictly: RFC 4180 quoting
// (a stray quote is an error, not data), CRLF between records and after the last one.
import { parse } from 'csv-parse/sync';

export function parseCsv(text: string): string[][] {
	if (text !== '' && !text.endsWith('\r\n')) {
		throw new Error(`CSV does not end with CRLF: ${JSON.stringify(text.slice(-40))}`);
	}
	return parse(text, { record_delimiter: '\r\n' }) as string[][];
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { spreadsheetSafe } from '../../src/lib/spreadsheet-safe';
import { csvField } from '../../src/lib/server/export/csv';
import { toCsv } from '../../src/lib/views/csv';

describe('spreadsheetSafe', () => {
	it.each([
		['=HYPERLINK("http://evil.example","x")', `'=HYPERLINK("http://evil.example","x")`],
		['+cmd|" /C calc"!A0', `'+cmd|" /C calc"!A0`],
		['-2+3+cmd|" /C calc"!A0', `'-2+3+cmd|" /C calc"!A0`],
		['@SUM(1+1)*cmd', `'@SUM(1+1)*cmd`],
		['\t=1+1', `'\t=1+1`],
		['\r=1+1', `'\r=1+1`],
		['\0=1', `'\0=1`],
		['-P', `'-P`],
		['-PT', `'-PT`]
	])('neutralises %j', (input, expected) => {
		expect(spreadsheetSafe(input)).toBe(expected);
	});

	it.each([
		'-PT30M',
		'PT2H30M',
		'-P1D',
		'-PT0.5S',
		'-12.5',
		'+3',
		'-0',
		'1e-3',
		'-.5',
		'felt sick',
		''
	])('keeps the machine value or plain text %j exactly', (input) => {
		expect(spreadsheetSafe(input)).toBe(input);
	});

	it('never leaves a formula start, and only ever adds one apostrophe', () => {
		fc.assert(
			fc.property(fc.string({ unit: 'binary' }), (text) => {
				const out = spreadsheetSafe(text);
				expect(out === text || out === `'${text}`).toBe(true);
				if (/^[=+\-@\t\r\n\0]/.test(out)) {
					expect(out).toMatch(/^[+-]?(\d|\.\d|P)/);
					expect(out).not.toMatch(/[(|!"]/);
				}
			}),
			{ numRuns: 5000 }
		);
	});

	it('is applied by the server CSV writer and the chart downloads, never to numbers', () => {
		expect(csvField('=1+1')).toBe(`'=1+1`);
		expect(csvField('=A1,"x"')).toBe(`"'=A1,""x"""`);
		expect(csvField(-30)).toBe('-30');
		expect(csvField('-PT30M')).toBe('-PT30M');
		const csv = toCsv(
			[
				{ key: 'label', label: 'Label' },
				{ key: 'value', label: 'Value' }
			],
			[{ label: '@evil', value: -4.5 }]
		);
		expect(csv).toBe(`Label,Value\r\n'@evil,-4.5\r\n`);
	});
});

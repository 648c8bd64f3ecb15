// ColumnStats gives define.xml its Length and SignificantDigits and the XPT writer its NAMESTR
// lengths: it counts UTF-8 bytes without encoding, so it is held here to the plain definition
// (encode every value, split every number at its point) on any text and any number.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	ColumnStats,
	variable,
	type DatasetSpec,
	type SdtmRow
} from '../../../src/lib/domain/sdtm';

const SPEC: DatasetSpec = {
	name: 'XX',
	label: 'Test',
	class: 'FINDINGS',
	structure: 'One record per test',
	keys: ['XXTEXT'],
	variables: [
		variable('XXTEXT', 'Text', 'text', 'Exp', 'Topic'),
		variable('XXINT', 'Integer', 'integer', 'Exp', 'Result Qualifier'),
		variable('XXFLOAT', 'Float', 'float', 'Exp', 'Result Qualifier')
	]
};

const utf8 = new TextEncoder();

/** The definition: bytes of the encoded text; digits either side of the point of |number|. */
function reference(rows: SdtmRow[]) {
	const out = SPEC.variables.map(() => ({ length: 1, decimals: 0 }));
	for (const row of rows) {
		SPEC.variables.forEach((v, i) => {
			const value = row[v.name];
			if (value === null || value === undefined || value === '') return;
			if (v.dataType === 'text') {
				out[i]!.length = Math.max(out[i]!.length, utf8.encode(String(value)).length);
				return;
			}
			const [whole, fraction = ''] = String(Math.abs(Number(value))).split('.');
			out[i]!.length = Math.max(out[i]!.length, whole!.length + fraction.length);
			out[i]!.decimals = Math.max(out[i]!.decimals, fraction.length);
		});
	}
	return new Map(SPEC.variables.map((v, i) => [v.name, out[i]!]));
}

const text = fc.oneof(
	fc.string(),
	fc.string({ unit: 'grapheme' }),
	fc.string({ unit: 'binary' }), // lone surrogates too: encoders write U+FFFD, three bytes
	fc.constantFrom(null, '')
);
const number = fc.oneof(
	fc.integer(),
	fc.double({ noNaN: true, noDefaultInfinity: true }),
	fc.constantFrom(null, 1e21, 1.5e-7, -0, 0.1 + 0.2)
);
const row = fc.record({ XXTEXT: text, XXINT: number, XXFLOAT: number });

describe('ColumnStats', () => {
	it('measures what encoding every value would, on any rows', () => {
		fc.assert(
			fc.property(fc.array(row, { maxLength: 30 }), (rows) => {
				const stats = new ColumnStats(SPEC);
				for (const r of rows) stats.add(r);
				expect(stats.rows).toBe(rows.length);
				expect(stats.byName()).toEqual(reference(rows));
			}),
			{ numRuns: 500 }
		);
	});

	it('counts bytes, not characters: é is 2, € 3, an emoji 4, a lone surrogate 3', () => {
		const stats = new ColumnStats(SPEC);
		stats.add({ XXTEXT: 'é€😀\uD800', XXINT: -120, XXFLOAT: 37.25 });
		expect(stats.byName().get('XXTEXT')).toEqual({ length: 12, decimals: 0 });
		expect(stats.byName().get('XXINT')).toEqual({ length: 3, decimals: 0 });
		expect(stats.byName().get('XXFLOAT')).toEqual({ length: 4, decimals: 2 });
	});
});

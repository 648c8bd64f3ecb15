import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	fromIbmDouble,
	MISSING,
	toIbmDouble,
	writeIbmDouble
} from '../../../src/lib/server/export/xpt/ibm-float';

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join(' ');

describe('IBM System/370 doubles (SAS XPORT v5)', () => {
	// DOMAIN-2.md §10, computed test vectors
	it.each([
		[1, '41 10 00 00 00 00 00 00'],
		[-118.625, 'c2 76 a0 00 00 00 00 00'],
		[100, '42 64 00 00 00 00 00 00'],
		[0.1, '40 19 99 99 99 99 99 9a'],
		[0, '00 00 00 00 00 00 00 00']
	])('writes %d as %s', (value, bytes) => {
		expect(hex(toIbmDouble(value))).toBe(bytes);
	});

	it('writes a missing value as "." and reads it back as missing', () => {
		expect(hex(toIbmDouble(null))).toBe('2e 00 00 00 00 00 00 00');
		expect(hex(toIbmDouble(Number.NaN))).toBe(hex(MISSING));
		expect(fromIbmDouble(MISSING)).toBeNull();
		expect(fromIbmDouble(Uint8Array.of(0x41, 0, 0, 0, 0, 0, 0, 0))).toBeNull(); // .A
	});

	it('reads the worked bytes back', () => {
		expect(fromIbmDouble(Uint8Array.of(0xc2, 0x76, 0xa0, 0, 0, 0, 0, 0))).toBe(-118.625);
		expect(fromIbmDouble(Uint8Array.of(0x40, 0x19, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9a))).toBe(0.1);
	});

	it('keeps every double within the IBM range exactly', () => {
		// IBM doubles reach from 16^-65 (about 5.4e-79) to about 7.2e75.
		const inRange = (x: number) => x === 0 || Math.abs(x) > 1e-78;
		fc.assert(
			fc.property(
				fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e75, max: 1e75 }).filter(inRange),
				(x) => {
					const back = fromIbmDouble(toIbmDouble(x));
					expect(Object.is(back, x) || (x === 0 && back === 0)).toBe(true);
				}
			),
			{ numRuns: 5000 }
		);
	});

	it('normalises: the first fraction digit is never 0 for a non-zero value', () => {
		fc.assert(
			fc.property(fc.double({ noNaN: true, min: 1e-70, max: 1e70 }), (x) => {
				expect(toIbmDouble(x)[1]! >> 4).not.toBe(0);
			})
		);
	});

	it('refuses a number beyond the IBM range and reads one below it as 0', () => {
		expect(() => toIbmDouble(1e300)).toThrow(RangeError);
		expect(fromIbmDouble(toIbmDouble(5e-324))).toBe(0);
	});
});

describe('writeIbmDouble', () => {
	/** writeIbmDouble's bytes, or the error it throws, beside toIbmDouble's. */
	const both = (x: number | null) => {
		const out = new Uint8Array(12).fill(0xaa);
		let fast: string;
		let reference: string;
		try {
			writeIbmDouble(out, 2, x);
			// Only its eight bytes are written.
			expect([...out.subarray(0, 2), ...out.subarray(10)]).toEqual([0xaa, 0xaa, 0xaa, 0xaa]);
			fast = hex(out.subarray(2, 10));
		} catch (e) {
			fast = String(e);
		}
		try {
			reference = hex(toIbmDouble(x));
		} catch (e) {
			reference = String(e);
		}
		return { fast, reference };
	};

	it('writes the bytes toIbmDouble makes, for every double, null, NaN and ±Infinity', () => {
		const value = fc.oneof(
			fc.double(), // subnormals, ±0, beyond the IBM range, NaN, ±Infinity
			fc.double({ min: -1e6, max: 1e6 }),
			fc.integer().map((n) => n / 10),
			fc.constantFrom(null, -0, 5e-324, 2 ** -1022, 16 ** -65, 16 ** 63, 7.2e75, 1e76, 0.1, 100)
		);
		fc.assert(
			fc.property(value, (x) => {
				const { fast, reference } = both(x);
				expect(fast).toBe(reference);
			}),
			{ numRuns: 20_000 }
		);
	});
});

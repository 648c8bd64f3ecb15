// Numbers in a SAS XPORT v5 file are IBM System/370 double precision: sign bit, 7-bit exponent of
// 16 biased by 64, then a 56-bit fraction, big-endian: value = (−1)^s × 0.F × 16^(E−64) (SAS
// TS-140; DOMAIN-2.md §10 worked bytes). An IEEE double's 53-bit significand always fits the
// 56-bit fraction after a shift of 0–3 bits, so the conversion is exact: no rounding, ever.

/** SAS's ordinary missing value ".": 0x2E then seven zero bytes. */
export const MISSING = Uint8Array.of(0x2e, 0, 0, 0, 0, 0, 0, 0);

const TWO_52 = 1n << 52n;

/** The IBM double of `x`, or the missing value for null, NaN and ±Infinity. */
export function toIbmDouble(x: number | null): Uint8Array {
	if (x === null || !Number.isFinite(x)) return MISSING.slice();
	const out = new Uint8Array(8);
	if (x === 0) return out;
	const view = new DataView(new ArrayBuffer(8));
	view.setFloat64(0, x);
	const bits = view.getBigUint64(0);
	const sign = Number(bits >> 63n);
	const biased = Number((bits >> 52n) & 0x7ffn);
	let m = bits & (TWO_52 - 1n);
	let e2: number; // x = m × 2^(e2 − 52), with 2^52 ≤ m < 2^53
	if (biased === 0) {
		e2 = -1022; // subnormal: normalise the significand
		while (m < TWO_52) {
			m <<= 1n;
			e2 -= 1;
		}
	} else {
		m |= TWO_52;
		e2 = biased - 1023;
	}
	// Fraction f = m × 2^shift over 2^56, exponent k: 0.f × 16^k = m × 2^(e2 − 52).
	const shift = (((e2 + 4) % 4) + 4) % 4;
	const k = (e2 + 4 - shift) / 4;
	if (k > 63) throw new RangeError(`${x} is too large for an IBM double`);
	if (k < -64) return out; // below 16^-65: reads as 0
	const fraction = m << BigInt(shift);
	out[0] = (sign << 7) | (k + 64);
	for (let i = 7; i >= 1; i--) out[i] = Number((fraction >> BigInt(8 * (7 - i))) & 0xffn);
	return out;
}

/** The number an IBM double holds; null for a SAS missing value (".", "._", ".A"–".Z"). */
export function fromIbmDouble(bytes: Uint8Array): number | null {
	let fraction = 0n;
	for (let i = 1; i < 8; i++) fraction = (fraction << 8n) | BigInt(bytes[i]!);
	const first = bytes[0]!;
	if (fraction === 0n) {
		const missing = first === 0x2e || first === 0x5f || (first >= 0x41 && first <= 0x5a);
		return missing ? null : 0;
	}
	const k = (first & 0x7f) - 64;
	const value = Number(fraction) * 2 ** (4 * k - 56); // exact: ≤ 53 significant bits
	return first & 0x80 ? -value : value;
}

const bits = new DataView(new ArrayBuffer(8));

/**
 * toIbmDouble(x) written into `out` at `at`, with 32-bit integer arithmetic on the double's two
 * words (no BigInt, nothing allocated: toIbmDouble's BigInt steps were a quarter of writing QS
 * as XPT). Subnormal doubles take toIbmDouble itself; a test holds the two to the same bytes.
 */
export function writeIbmDouble(out: Uint8Array, at: number, x: number | null): void {
	if (x === null || !Number.isFinite(x)) {
		out.set(MISSING, at);
		return;
	}
	if (x === 0) {
		out.fill(0, at, at + 8);
		return;
	}
	bits.setFloat64(0, x);
	const hi = bits.getUint32(0);
	const lo = bits.getUint32(4);
	const biased = (hi >>> 20) & 0x7ff;
	if (biased === 0) {
		out.set(toIbmDouble(x), at);
		return;
	}
	// As toIbmDouble: x = m × 2^(e2 − 52); fraction m << shift over 2^56, exponent k of 16.
	const e2 = biased - 1023;
	const shift = ((e2 % 4) + 4) % 4;
	const k = (e2 - shift) / 4 + 1;
	if (k > 63) throw new RangeError(`${x} is too large for an IBM double`);
	if (k < -64) {
		out.fill(0, at, at + 8);
		return;
	}
	const mHi = (hi & 0xfffff) | 0x100000; // the top 21 bits of the 53-bit significand
	const fHi = shift === 0 ? mHi : (mHi << shift) | (lo >>> (32 - shift)); // fraction bits 32–55
	const fLo = (lo << shift) >>> 0; // fraction bits 0–31
	out[at] = ((hi >>> 31) << 7) | (k + 64);
	out[at + 1] = fHi >>> 16;
	out[at + 2] = (fHi >>> 8) & 0xff;
	out[at + 3] = fHi & 0xff;
	out[at + 4] = fLo >>> 24;
	out[at + 5] = (fLo >>> 16) & 0xff;
	out[at + 6] = (fLo >>> 8) & 0xff;
	out[at + 7] = fLo & 0xff;
}

// Text longer than a SAS XPORT v5 character value may hold (200 bytes; DOMAIN-2.md §10) is cut
// into parts, as SDTMIG v3.4 §4.5.3.2 asks: the parent variable keeps the first part and each
// further part goes to the domain's SUPP-- dataset under QNAM <VAR>1, <VAR>2 … The parts joined
// give back the text exactly.

/** SAS XPORT v5 character values hold at most 200 bytes (FDA TCG; SDTMIG §4.5.3.2). */
export const MAX_TEXT_BYTES = 200;

/**
 * Bytes of the text in UTF-8, counted without encoding it: a code point below U+0080 is one byte,
 * below U+0800 two, a surrogate pair four, anything else three (a lone surrogate too: encoders
 * write U+FFFD for it).
 */
export function utf8Length(text: string): number {
	let bytes = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c < 0x80) bytes += 1;
		else if (c < 0x800) bytes += 2;
		else if (c >= 0xd800 && c < 0xdc00 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
			bytes += 4;
			i += 1;
		} else bytes += 3;
	}
	return bytes;
}

/**
 * Whether the text is over `maxBytes` of UTF-8. Most values are decided by their length alone:
 * a UTF-16 code unit is at least one byte and at most three.
 */
export function overBytes(text: string, maxBytes = MAX_TEXT_BYTES): boolean {
	if (text.length * 3 <= maxBytes) return false;
	if (text.length > maxBytes) return true;
	return utf8Length(text) > maxBytes;
}

const isSpace = (ch: string) => /\s/u.test(ch);

/**
 * The longest prefix of `chars` (code points) within `maxBytes`, as a count of code points.
 * Always at least one code point, so a pathological limit cannot loop forever.
 */
function fitting(chars: string[], from: number, maxBytes: number): number {
	let bytes = 0;
	let n = 0;
	while (from + n < chars.length) {
		const size = utf8Length(chars[from + n]!);
		if (bytes + size > maxBytes) break;
		bytes += size;
		n += 1;
	}
	return Math.max(n, 1);
}

/**
 * Where to end a part that cannot take the whole rest: before the last run of white space inside
 * it, so the part ends on a word and the next part starts with the space (SAS drops trailing
 * blanks of a value but keeps leading ones, so nothing is lost on the way through a .xpt file).
 * No white space after the first character: cut at the limit (a very long word or URL).
 */
function wordEnd(chars: string[], from: number, n: number): number {
	if (isSpace(chars[from + n]!)) {
		// The next part starts with white space already; keep this one free of trailing blanks.
		let end = n;
		while (end > 0 && isSpace(chars[from + end - 1]!)) end -= 1;
		return end > 0 ? end : n;
	}
	for (let i = n - 1; i > 0; i--) {
		if (!isSpace(chars[from + i]!)) continue;
		let end = i;
		while (end > 0 && isSpace(chars[from + end - 1]!)) end -= 1;
		if (end > 0) return end;
	}
	return n;
}

/**
 * The text in parts of at most `maxBytes` bytes of UTF-8 each, cut between words where there is
 * a word boundary and never inside a code point. Text within the limit is one part, untouched.
 */
export function splitText(text: string, maxBytes = MAX_TEXT_BYTES): string[] {
	if (!overBytes(text, maxBytes)) return [text];
	const chars = Array.from(text);
	const parts: string[] = [];
	let from = 0;
	while (from < chars.length) {
		const n = fitting(chars, from, maxBytes);
		const end = from + n >= chars.length ? n : wordEnd(chars, from, n);
		parts.push(chars.slice(from, from + end).join(''));
		from += end;
	}
	return parts;
}

/**
 * QNAM of the n-th further part of a variable (SDTMIG §4.5.3.2): the name's first characters and
 * the number, within the 8 characters of a SAS name (AETERM1, CMDOSFR1, AETERM10).
 */
export function qnamOf(variable: string, n: number): string {
	const digits = String(n);
	return `${variable.slice(0, 8 - digits.length)}${digits}`;
}

/** QNAMs to try, in order: the plain one, then the stem ending in the name's last letter, A … Z. */
function candidates(variable: string, n: number): string[] {
	const digits = String(n);
	const stem = variable.slice(0, 8 - digits.length - 1);
	const ends = [variable.slice(-1), ...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'];
	return [qnamOf(variable, n), ...ends.map((e) => `${stem}${e}${digits}`)];
}

/**
 * The QNAMs of one dataset's text variables, distinct: VSSTRESC and VSSTRESU would both give
 * VSSTRES1, QSTEST and QSTESTCD both QSTEST10. Names are given number by number, every variable in
 * file order for 1, then for 2 …, so a name never depends on the data: the first variable keeps
 * the plain name and the later one takes the next free candidate (VSSTREU1).
 */
export class QnamTable {
	readonly #variables: readonly string[];
	readonly #names = new Map<string, string>();
	readonly #taken = new Set<string>();
	#upTo = 0;

	constructor(variables: readonly string[]) {
		this.#variables = variables;
	}

	qnam(variable: string, n: number): string {
		while (this.#upTo < n) this.#name(++this.#upTo);
		const name = this.#names.get(`${variable}\u0000${n}`);
		if (!name) throw new RangeError(`${variable} is not a text variable of this dataset`);
		return name;
	}

	#name(n: number): void {
		for (const variable of this.#variables) {
			const free = candidates(variable, n).find((c) => !this.#taken.has(c))!;
			this.#taken.add(free);
			this.#names.set(`${variable}\u0000${n}`, free);
		}
	}
}

/** QLABEL of that part: the variable's label and the number, within 40 characters. */
export function qlabelOf(label: string, n: number): string {
	const suffix = ` ${n}`;
	return `${label.slice(0, 40 - suffix.length).trimEnd()}${suffix}`;
}

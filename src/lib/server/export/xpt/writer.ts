// One SDTM dataset as a SAS XPORT v5 file, streamed. A NAMESTR states each character variable's
// length before the first row, and FDA wants that length to be the longest actual value (TCG), so
// the rows are read once into a private temporary file (each value as the bytes its observation
// holds, Spool) while the longest values are measured, then read back into observations. At most one chunk is in memory at any time,
// and the file describes one consistent reading of the database.
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
	ColumnStats,
	isNumeric,
	type DatasetSpec,
	type SdtmRow,
	type SdtmValue
} from '../../../domain/sdtm';
import { writeIbmDouble } from './ibm-float';
import { libraryHeader, memberHeader, RECORD, type XptVariable } from './records';

/** SAS XPORT v5 character values hold at most 200 bytes (TCG; DOMAIN-2.md §10). */
export const MAX_CHARACTER_BYTES = 200;
const CHUNK_BYTES = 64 * 1024;

const textOf = (value: SdtmValue | undefined) =>
	value === null || value === undefined ? '' : String(value);

const numberOf = (value: SdtmValue | undefined): number | null => {
	if (value === null || value === undefined || value === '') return null;
	return typeof value === 'number' ? value : Number(value);
};

/** Spool bytes gathered before they are written to the temporary file. */
const SPOOL_BYTES = 1024 * 1024;

/**
 * Text of up to this many UTF-16 units is spooled with a one-byte length (its UTF-8 is at most
 * three bytes a unit); longer text with 0xff and a four-byte length.
 */
const SHORT_TEXT = 84;

/**
 * Copies ASCII text into `out` at `at` byte by byte (for short text cheaper than a call to
 * Buffer#write); the bytes copied, or -1 at the first character that is not ASCII.
 */
function asciiInto(out: Buffer, at: number, text: string): number {
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c > 0x7f) return -1;
		out[at + i] = c;
	}
	return text.length;
}

/**
 * The rows as the temporary file holds them: per row, per variable in file order, a number as
 * its eight IBM bytes (as the observation holds it), a text as its length and its UTF-8 bytes.
 * Read back, an observation is copied from it byte for byte. (A JSON line per row, parsed back
 * into values, each then written again, was most of writing a large dataset.)
 */
class Spool {
	#buffer = Buffer.allocUnsafe(SPOOL_BYTES);
	#used = 0;
	readonly #file: FileHandle;

	constructor(file: FileHandle) {
		this.#file = file;
	}

	/** Whether a row of up to `bytes` (short text only) would not fit: flush first. */
	full(bytes: number): boolean {
		return this.#used + bytes > this.#buffer.length;
	}

	/** Room for `bytes` more at once, in a larger buffer if need be (a row with long text). */
	#room(at: number, bytes: number): void {
		if (at + bytes <= this.#buffer.length) return;
		const larger = Buffer.allocUnsafe(Math.max(this.#buffer.length * 2, at + bytes));
		this.#buffer.copy(larger, 0, 0, at);
		this.#buffer = larger;
	}

	async flush(): Promise<void> {
		if (this.#used > 0) await this.#file.write(this.#buffer, 0, this.#used);
		this.#used = 0;
	}

	/** One row; a row of short text only must fit (full). */
	add(numeric: readonly boolean[], names: readonly string[], row: SdtmRow): void {
		let out = this.#buffer;
		let at = this.#used;
		for (let i = 0; i < names.length; i++) {
			const value = row[names[i]!] ?? null;
			if (numeric[i]) {
				writeIbmDouble(out, at, numberOf(value));
				at += 8;
				continue;
			}
			const text = textOf(value);
			if (text.length <= SHORT_TEXT) {
				let n = asciiInto(out, at + 1, text);
				if (n < 0) n = out.write(text, at + 1, 'utf8');
				out[at] = n;
				at += 1 + n;
			} else {
				this.#room(at, 5 + text.length * 3);
				out = this.#buffer;
				const n = out.write(text, at + 5, 'utf8');
				out[at] = 0xff;
				out.writeUInt32BE(n, at + 1);
				at += 5 + n;
			}
		}
		this.#used = at;
	}
}

/**
 * Reads the rows (one by one, or a page at a time) into `path` (Spool), measuring every column.
 */
async function spool(
	spec: DatasetSpec,
	rows: AsyncIterable<SdtmRow | readonly SdtmRow[]>,
	path: string
) {
	const stats = new ColumnStats(spec);
	const names = spec.variables.map((v) => v.name);
	const numeric = spec.variables.map(isNumeric);
	// A row whose text is all short fits this many bytes (a longer text makes its own room).
	const bound = numeric.reduce((sum, n) => sum + (n ? 8 : 1 + SHORT_TEXT * 3), 0);
	const file = await open(path, 'wx', 0o600);
	try {
		const out = new Spool(file);
		for await (const item of rows) {
			const page = Array.isArray(item) ? (item as readonly SdtmRow[]) : [item as SdtmRow];
			for (const row of page) {
				stats.add(row);
				if (out.full(bound)) await out.flush();
				out.add(numeric, names, row);
			}
		}
		await out.flush();
	} finally {
		await file.close();
	}
	return stats;
}

/**
 * The observations of the spooled rows, a chunk at a time: each value's spooled bytes copied into
 * its place (a chunk starts as blanks, so text is padded). Text longer than its variable (never:
 * the variable is as long as the longest) is written as Buffer#write cuts it, at a whole character.
 */
async function* observations(
	path: string,
	variables: XptVariable[],
	width: number
): AsyncGenerator<Buffer> {
	const perChunk = Math.max(1, Math.floor(CHUNK_BYTES / width));
	const file = await open(path, 'r');
	try {
		let input = Buffer.allocUnsafe(SPOOL_BYTES);
		let start = 0; // the first byte not yet read back
		let end = 0; // the end of the bytes in `input`
		let eof = false;
		let chunk = Buffer.alloc(perChunk * width, 0x20);
		let rows = 0;
		for (;;) {
			// One row: from `start`, or (when it runs past `end`) again after more is read.
			let at = start;
			let complete = true;
			let place = rows * width;
			for (const v of variables) {
				if (v.numeric) {
					if (at + 8 > end) {
						complete = false;
						break;
					}
					for (let b = 0; b < 8; b++) chunk[place + b] = input[at + b]!;
					at += 8;
				} else {
					if (at + 1 > end) {
						complete = false;
						break;
					}
					let n = input[at]!;
					let from = at + 1;
					if (n === 0xff) {
						if (at + 5 > end) {
							complete = false;
							break;
						}
						n = input.readUInt32BE(at + 1);
						from = at + 5;
					}
					if (from + n > end) {
						complete = false;
						break;
					}
					if (n > v.length) {
						chunk.fill(0x20, place, place + v.length);
						chunk.write(input.toString('utf8', from, from + n), place, v.length, 'utf8');
					} else if (n < 24) {
						for (let b = 0; b < n; b++) chunk[place + b] = input[from + b]!;
					} else {
						input.copy(chunk, place, from, from + n);
					}
					at = from + n;
				}
				place += v.length;
			}
			if (complete && at > start) {
				start = at;
				rows += 1;
				if (rows === perChunk) {
					yield chunk;
					chunk = Buffer.alloc(perChunk * width, 0x20);
					rows = 0;
				}
				continue;
			}
			// The row runs past the bytes read (or none are left): read on, keeping its start.
			if (eof) {
				if (start !== end) throw new Error('xpt: the temporary file ends inside a row');
				break;
			}
			// A row written in part is written again whole, the same bytes in the same places.
			const left = end - start;
			if (left > 0) input.copy(input, 0, start, end);
			if (left === input.length) {
				const bigger = Buffer.allocUnsafe(input.length * 2);
				input.copy(bigger, 0, 0, left);
				input = bigger;
			}
			const { bytesRead } = await file.read(input, left, input.length - left, null);
			start = 0;
			end = left + bytesRead;
			if (bytesRead === 0) eof = true;
		}
		if (rows > 0) yield chunk.subarray(0, rows * width);
	} finally {
		await file.close();
	}
}

/** The NAMESTR facts: 8 bytes for numbers, the longest value (at least 1) for text. */
export function xptVariables(spec: DatasetSpec, stats: ColumnStats): XptVariable[] {
	const measured = stats.byName();
	return spec.variables.map((v) => {
		const numeric = isNumeric(v);
		const length = numeric ? 8 : measured.get(v.name)!.length;
		if (length > MAX_CHARACTER_BYTES) {
			throw new RangeError(`${spec.name}.${v.name} holds a value over 200 bytes`);
		}
		return { name: v.name, label: v.label, numeric, length };
	});
}

/** The file's bytes: headers, then every observation, then blanks to a whole 80-byte record. */
export async function* xptChunks(
	spec: DatasetSpec,
	rows: AsyncIterable<SdtmRow | readonly SdtmRow[]>,
	created: Date,
	/** Told what the data held, once read: define.xml describes the same lengths. */
	measured?: (stats: ColumnStats) => void
): AsyncGenerator<Buffer> {
	const dir = await mkdtemp(join(tmpdir(), 'vigil-xpt-'));
	try {
		const path = join(dir, `${spec.name}.jsonl`);
		const stats = await spool(spec, rows, path);
		const variables = xptVariables(spec, stats);
		measured?.(stats);
		const width = variables.reduce((sum, v) => sum + v.length, 0);
		yield Buffer.concat([libraryHeader(created), memberHeader(spec, variables, created)]);
		let written = 0;
		for await (const chunk of observations(path, variables, width)) {
			written += chunk.length;
			yield chunk;
		}
		const pad = (RECORD - (written % RECORD)) % RECORD;
		yield Buffer.alloc(pad, 0x20);
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
}

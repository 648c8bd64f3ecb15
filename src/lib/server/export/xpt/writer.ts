// One SDTM dataset as a SAS XPORT v5 file, streamed. A NAMESTR states each character variable's
// length before the first row, and FDA wants that length to be the longest actual value (TCG), so
// the rows are read once into a private temporary file (one JSON line each) while the longest
// values are measured, then read back and encoded. At most one chunk is in memory at any time,
// and the file describes one consistent reading of the database.
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
	ColumnStats,
	isNumeric,
	type DatasetSpec,
	type SdtmRow,
	type SdtmValue
} from '../../../domain/sdtm';
import { toIbmDouble } from './ibm-float';
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

/**
 * Reads the rows (one by one, or a page at a time) into `path`, one JSON array per line,
 * measuring every column.
 */
async function spool(
	spec: DatasetSpec,
	rows: AsyncIterable<SdtmRow | readonly SdtmRow[]>,
	path: string
) {
	const stats = new ColumnStats(spec);
	const file = await open(path, 'wx', 0o600);
	try {
		let buffer = '';
		const add = (row: SdtmRow) => {
			stats.add(row);
			buffer += JSON.stringify(spec.variables.map((v) => row[v.name] ?? null)) + '\n';
		};
		for await (const item of rows) {
			if (Array.isArray(item)) for (const row of item as readonly SdtmRow[]) add(row);
			else add(item as SdtmRow);
			if (buffer.length >= CHUNK_BYTES) {
				await file.write(buffer);
				buffer = '';
			}
		}
		if (buffer) await file.write(buffer);
	} finally {
		await file.close();
	}
	return stats;
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

/** One observation: text left-aligned and blank-padded, numbers as IBM doubles. */
function observation(variables: XptVariable[], values: SdtmValue[], width: number): Buffer {
	const out = Buffer.alloc(width, 0x20);
	let at = 0;
	variables.forEach((v, i) => {
		if (v.numeric) out.set(toIbmDouble(numberOf(values[i])), at);
		else out.write(textOf(values[i]), at, v.length, 'utf8');
		at += v.length;
	});
	return out;
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
		let chunk: Buffer[] = [];
		let size = 0;
		const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
		for await (const line of lines) {
			const obs = observation(variables, JSON.parse(line) as SdtmValue[], width);
			chunk.push(obs);
			size += obs.length;
			if (size >= CHUNK_BYTES) {
				yield Buffer.concat(chunk);
				written += size;
				[chunk, size] = [[], 0];
			}
		}
		written += size;
		const pad = (RECORD - (written % RECORD)) % RECORD;
		yield Buffer.concat([...chunk, Buffer.alloc(pad, 0x20)]);
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
}

// The remote witness's queue on disk, so a restart while its endpoint is down loses nothing. One
// file per target beside the witness log: each checkpoint is appended (and synced) in the same step
// as the witness log's line, before any send; a second small file names the last one delivered,
// written (atomically, by rename) after the endpoint took it. A new process reads both and sends
// what is left, in order. Once everything is delivered the queue file is emptied. Delivery is at
// least once: a crash between a delivery and its mark sends that checkpoint again (the receiver
// sees the same seq, hash and time twice). Bounded: beyond `max` unsent checkpoints the oldest are
// marked dropped, with an alert naming how many and which rows.
import {
	appendFileSync,
	closeSync,
	existsSync,
	fsyncSync,
	mkdirSync,
	openSync,
	readFileSync,
	renameSync,
	writeFileSync
} from 'node:fs';
import { dirname } from 'node:path';
import type { WitnessEntry } from './witness';

const sameEntry = (a: WitnessEntry, b: { seq: number; at: string; hash: string }) =>
	a.seq === b.seq && a.at === b.at && a.hash === b.hash;

function syncFile(file: string): void {
	const fd = openSync(file, 'r');
	try {
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
}

export class WitnessOutbox {
	readonly #pending: WitnessEntry[];

	constructor(
		readonly file: string,
		private readonly alert: (message: string) => void = (m) => console.error(`[vigil] ${m}`)
	) {
		this.#pending = this.#load();
	}

	get markFile(): string {
		return `${this.file}.sent`;
	}

	/** What is not yet delivered, oldest first (a copy). */
	pending(): WitnessEntry[] {
		return this.#pending.slice();
	}

	/** Appends and syncs one checkpoint; keeps at most `max` unsent, dropping the oldest. */
	append(entry: WitnessEntry, max: number): void {
		mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
		appendFileSync(this.file, JSON.stringify(entry) + '\n', { mode: 0o600 });
		syncFile(this.file);
		this.#pending.push(entry);
		if (this.#pending.length > max) {
			const dropped = this.#pending.slice(0, this.#pending.length - max);
			this.#mark(dropped[dropped.length - 1]!);
			this.#pending.splice(0, dropped.length);
			this.alert(
				`ALERT: the witness queue ${this.file} is full (${max} unsent checkpoints): dropped ${dropped.length} unsent checkpoint(s), rows ${dropped[0]!.seq} to ${dropped[dropped.length - 1]!.seq}; the remote witness will never see them (the witness log still has them)`
			);
		}
	}

	/** Marks everything up to `entry` delivered; empties the file when nothing is left. */
	delivered(entry: WitnessEntry): void {
		const i = this.#pending.findIndex((p) => sameEntry(p, entry));
		if (i < 0) return;
		this.#pending.splice(0, i + 1);
		this.#mark(entry);
		if (this.#pending.length === 0) writeFileSync(this.file, '', { mode: 0o600 });
	}

	#mark(entry: WitnessEntry): void {
		const tmp = `${this.markFile}.tmp`;
		writeFileSync(tmp, JSON.stringify({ seq: entry.seq, at: entry.at, hash: entry.hash }), {
			mode: 0o600
		});
		syncFile(tmp);
		renameSync(tmp, this.markFile);
	}

	/** The file's entries after the last one marked (all of them when the mark is not there). */
	#load(): WitnessEntry[] {
		if (!existsSync(this.file)) return [];
		const entries: WitnessEntry[] = [];
		for (const line of readFileSync(this.file, 'utf8').split('\n')) {
			if (line.trim() === '') continue;
			try {
				entries.push(JSON.parse(line) as WitnessEntry);
			} catch {
				// A line cut short by a crash mid-append: its checkpoint is in the witness log.
				this.alert(`the witness queue ${this.file} has an unreadable line; skipped`);
			}
		}
		let mark: { seq: number; at: string; hash: string } | null = null;
		try {
			mark = existsSync(this.markFile) ? JSON.parse(readFileSync(this.markFile, 'utf8')) : null;
		} catch {
			mark = null;
		}
		const i = mark ? entries.findLastIndex((e) => sameEntry(e, mark!)) : -1;
		return entries.slice(i + 1);
	}
}

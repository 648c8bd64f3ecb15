// The server's commits are made durable off the request thread. At synchronous = FULL SQLite
// calls fsync inside COMMIT, on the thread that runs it: under load one commit in four waited
// 20 ms or more for the disk, and every request, save and live board event waited with it. So the
// server's writer commits at synchronous = NORMAL (in WAL mode: the commit's frames are written,
// never torn, but not yet synced) and then syncs the WAL file itself on Node's thread pool before
// the write is answered. A save is acknowledged only once it is on disk, as at FULL; the request
// thread never waits for the disk; and saves that commit while a sync runs share the next one
// (group commit). Only the ordering differs from FULL: another connection may read a commit a few
// milliseconds before it is durable, and a power loss in those milliseconds loses it together
// with every later commit (the WAL is replayed in order), never a part of one.
//
// At NORMAL SQLite still syncs where a WAL is checkpointed into the database and where a WAL
// starts over; the checkpoints run on a read worker's connection (reads/worker.ts), not in the
// writer's COMMIT (its automatic checkpoint is off), every second when there were commits.
import { open, type FileHandle } from 'node:fs/promises';

/** A WAL left larger than this by a long reader is cut back when the writer starts it over. */
export const WAL_SIZE_LIMIT = 64 * 1024 * 1024;

/**
 * Past this many bytes of frames, a checkpoint that copied them all also starts the WAL over and
 * cuts its file (sqlite.ts checkpointOn).
 */
export const WAL_RESTART_BYTES = 16 * 1024 * 1024;

/** The WAL file of a SQLite database file. */
export const walPathOf = (file: string) => `${file}-wal`;

export type SyncFile = (path: string) => Promise<void>;

/** fdatasync on the WAL file: the data and the size SQLite needs to read it back. */
function fileSyncer(): SyncFile & { close(): Promise<void> } {
	let handle: Promise<FileHandle> | undefined;
	const sync = async (path: string) => {
		handle ??= open(path, 'r');
		try {
			await (await handle).datasync();
		} catch (e) {
			handle = undefined;
			throw e;
		}
	};
	return Object.assign(sync, {
		async close() {
			const h = handle;
			handle = undefined;
			if (h) await (await h.catch(() => undefined))?.close();
		}
	});
}

export class DurabilityError extends Error {
	constructor(cause: unknown) {
		super(
			`The write was committed but could not be made durable (sync of the WAL failed: ${
				cause instanceof Error ? cause.message : String(cause)
			}).`
		);
		this.name = 'DurabilityError';
	}
}

/**
 * Syncs one WAL file after commits, one sync at a time. A commit waits for a sync that starts
 * after it asked (one already running may have started before its frames were written); every
 * commit that asks before that sync starts shares it.
 */
export class WalSync {
	readonly path: string;
	readonly #sync: SyncFile & { close?(): Promise<void> };
	#running: Promise<void> | undefined;
	#next: Promise<void> | undefined;
	/** Commits since the last checkpoint was asked for. */
	commitsSinceCheckpoint = 0;
	/** Syncs made (for tests and the bench). */
	syncs = 0;

	constructor(path: string, sync?: SyncFile) {
		this.path = path;
		this.#sync = sync ?? fileSyncer();
	}

	/** Resolves once every commit made before the call is on disk. */
	flush(): Promise<void> {
		this.commitsSinceCheckpoint++;
		if (this.#next) return this.#next;
		const after = this.#running ?? Promise.resolve();
		const next: Promise<void> = after.then(
			() => this.#start(next),
			() => this.#start(next)
		);
		this.#next = next;
		return next;
	}

	#start(next: Promise<void>): Promise<void> {
		if (this.#next === next) this.#next = undefined;
		this.syncs++;
		const run = this.#sync(this.path).catch((e: unknown) => {
			throw new DurabilityError(e);
		});
		this.#running = run;
		const clear = () => {
			if (this.#running === run) this.#running = undefined;
		};
		run.then(clear, clear);
		return run;
	}

	async close(): Promise<void> {
		await this.#running?.catch(() => {});
		await this.#sync.close?.();
	}
}

export interface CheckpointResult {
	/** Frames in the WAL, and how many of them are now in the database file. */
	log: number;
	checkpointed: number;
	busy: boolean;
	/** The WAL was started over and its file cut after the checkpoint (sqlite.ts checkpointOn). */
	restarted?: boolean;
	/** The WAL is over the size to start it over, but a reader or the writer was in the way. */
	pending?: boolean;
}

/**
 * Asks for a passive checkpoint (it never waits for readers or the writer) every `intervalMs`
 * when there were commits since the last, or the last left the WAL to start over `pending` (a
 * long export held a snapshot: the WAL is cut once it ends, not at the next save). `run` does it
 * on another connection; one at a time.
 */
export function keepCheckpointed(
	wal: WalSync,
	run: () => Promise<CheckpointResult>,
	intervalMs = 1000
): { stop(): void } {
	let running = false;
	const timer = setInterval(() => {
		if (running || wal.commitsSinceCheckpoint === 0) return;
		wal.commitsSinceCheckpoint = 0;
		running = true;
		run()
			.then((r) => {
				if (r.pending) wal.commitsSinceCheckpoint++;
			})
			.catch((e: unknown) => {
				console.error('Vigil: a WAL checkpoint failed (it is retried):', e);
				wal.commitsSinceCheckpoint++;
			})
			.finally(() => (running = false));
	}, intervalMs);
	timer.unref();
	return { stop: () => clearInterval(timer) };
}

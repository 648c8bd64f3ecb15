// Read workers for a SQLite database file: a few threads, each with its own read-only
// connections, so an export, a bundle, an audit verification or a dashboard's aggregates never
// hold the request thread. Exports (stream jobs) run on workers of their own whose heap is kept
// small (EXPORT_WORKER_LIMITS), and so do the WAL's checkpoints; queries and value jobs on the
// others. Work goes to the least busy worker of its group; a worker that dies fails its jobs and
// is replaced.
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import {
	AuthenticationError,
	ConflictError,
	ForbiddenError,
	NotFoundError,
	ServiceError,
	TooLargeError,
	ValidationError
} from '../runtime/errors';
import { WAL_RESTART_BYTES, type CheckpointResult } from '../db/wal';
import type { ReadExecutor } from './executor';
import { pullStream } from './executor';
import {
	WORKER_NICE,
	type FromWorker,
	type ReadWorkerData,
	type ThreadMemory,
	type ToWorker,
	type WorkerError
} from './messages';

export { WORKER_NICE };
import { RemoteSqliteDialect } from './remote-dialect';
import { READ_WORKER_ENTRY, type WorkerEntry } from './worker-entry';

export class ReadJobError extends Error {
	constructor(e: WorkerError) {
		super(e.message);
		this.name = e.name === 'Error' ? 'ReadJobError' : e.name;
	}
}

/**
 * A failure from a worker as the request thread would have thrown it: a service's expected
 * failure (not found, forbidden, a field error) as its own class, so a page or the API answers
 * it as if the job had run in-process; anything else as a ReadJobError.
 */
export function workerFailure(e: WorkerError): Error {
	const fields = e.fieldErrors ?? {};
	let out: ServiceError;
	switch (e.name) {
		case 'NotFoundError':
			out = new NotFoundError();
			break;
		case 'ForbiddenError':
			out = new ForbiddenError(e.message);
			break;
		case 'ConflictError':
			out = new ConflictError(e.message, fields);
			break;
		case 'ValidationError':
			out = new ValidationError(fields, e.message);
			break;
		case 'AuthenticationError':
			out = new AuthenticationError(e.message);
			break;
		case 'TooLargeError':
			out = new TooLargeError(e.message, fields);
			break;
		default:
			if (e.status === undefined) return new ReadJobError(e);
			out = new ServiceError(e.status, e.message);
	}
	out.message = e.message;
	return out;
}

/**
 * Run from source (vitest, tsx), the worker is TypeScript: register tsx's loader in the new
 * thread first (loader flags in a worker's execArgv are not honoured by Node 20).
 */
function typescriptBootstrap(entry: URL): string {
	// Resolved from the working directory: the project root whenever sources run.
	return (
		`import('tsx/esm/api').then(({ register }) => { register(); ` +
		`return import(${JSON.stringify(entry.href)}); });`
	);
}

/**
 * The heap of a worker that runs exports. An export holds a page of rows and a chunk of bytes at
 * a time, so its live heap is small and flat whatever the trial's size; all else it makes is
 * garbage. V8 collects the old generation only when it nears a limit that, left to itself, is
 * sized from the machine's memory (gigabytes), so a worker streaming a large export grew by
 * hundreds of megabytes of garbage before collecting it, in the server's own resident memory. A
 * small old generation makes it collect as it goes; a small young one collects the short-lived
 * rows and strings of each page before they are promoted. Measured: the trial tier's ODM, VS and
 * auditor bundle complete under these (scripts/bench/export-memory.ts).
 */
export const EXPORT_WORKER_LIMITS: ResourceLimits = {
	maxOldGenerationSizeMb: 48,
	maxYoungGenerationSizeMb: 8
};

/**
 * Answers of value jobs are handed back one per turn of the event loop, in the order they came.
 * What follows an answer on the request thread is mostly a page's render (its load, the
 * components, the page data's serialisation), a few milliseconds of JavaScript that nothing else
 * can interrupt. Several answers arriving together would otherwise be rendered back to back in one
 * turn while a save's commit, its sync and new requests wait behind them all; one a turn, what
 * waits is at most one render. The work is the same, only its order changes.
 */
const turns: Array<() => void> = [];
function nextTurn(): void {
	turns.shift()?.();
	if (turns.length > 0) setImmediate(nextTurn);
}
function yourTurn(): Promise<void> {
	return new Promise((resolve) => {
		if (turns.push(resolve) === 1) setImmediate(nextTurn);
	});
}

const zero: ThreadMemory = { heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 };

interface Waiting {
	resolve: (m: FromWorker) => void;
	reject: (e: Error) => void;
}

class ReadWorker {
	readonly worker: Worker;
	readonly waiting = new Map<number, Waiting>();
	/** Jobs and queries under way: the pool sends new work to the least busy. */
	busy = 0;
	dead = false;

	constructor(
		file: string,
		entry: WorkerEntry,
		nice: number,
		resourceLimits?: ResourceLimits,
		chunkBytes?: number
	) {
		const workerData: ReadWorkerData = { file, nice, chunkBytes };
		this.worker = entry.typescript
			? new Worker(typescriptBootstrap(entry.url), { eval: true, workerData, resourceLimits })
			: new Worker(entry.url, { workerData, resourceLimits });
		// A worker never keeps the process alive: the server ends when its requests are done.
		this.worker.unref();
		this.worker.on('message', (m: FromWorker) => {
			const w = this.waiting.get(m.id);
			if (!w) return;
			this.waiting.delete(m.id);
			if (m.type === 'error') w.reject(workerFailure(m.error));
			else w.resolve(m);
		});
		const fail = (e: Error) => {
			this.dead = true;
			for (const w of this.waiting.values()) w.reject(e);
			this.waiting.clear();
		};
		this.worker.on('error', fail);
		this.worker.on('exit', (code) => fail(new Error(`read worker stopped (exit ${code})`)));
	}

	/** Sends a message and waits for the answer with the same id. */
	ask(message: ToWorker): Promise<FromWorker> {
		if (this.dead) return Promise.reject(new Error('read worker stopped'));
		return new Promise((resolve, reject) => {
			this.waiting.set(message.id, { resolve, reject });
			this.worker.postMessage(message);
		});
	}

	tell(message: ToWorker): void {
		if (!this.dead) this.worker.postMessage(message);
	}
}

export interface PoolOptions {
	/** Workers for queries and value jobs. */
	workers?: number;
	/** Workers for exports (stream jobs); as many as `workers` unless given. */
	exportWorkers?: number;
	/** The heap limits of the export workers (EXPORT_WORKER_LIMITS unless given). */
	exportLimits?: ResourceLimits;
	/** Each group's nice value (WORKER_NICE unless given; 0 keeps the process's priority). */
	nice?: { reads: number; exports: number };
	/** The size of an export's chunks (READ_CHUNK_BYTES unless given; tests make many small ones). */
	chunkBytes?: number;
	entry?: WorkerEntry;
}

type Group = 'reads' | 'exports';

/**
 * Every pool open in this process, under a global symbol: the bench's probe inside the server it
 * measures (scripts/bench/loop-probe.mjs) asks them for their export workers' memory, to tell an
 * export's own memory from the rest of the server's. Nothing in the app reads it.
 */
const OPEN_POOLS = Symbol.for('vigil.readWorkerPools');

function openPools(): Set<ReadWorkerPool> {
	const g = globalThis as { [OPEN_POOLS]?: Set<ReadWorkerPool> };
	return (g[OPEN_POOLS] ??= new Set());
}

export class ReadWorkerPool {
	readonly #file: string;
	readonly #entry: WorkerEntry;
	readonly #groups: Record<Group, (ReadWorker | undefined)[]>;
	readonly #exportLimits: ResourceLimits;
	readonly #nice: { reads: number; exports: number };
	readonly #chunkBytes: number | undefined;
	#nextId = 1;

	constructor(file: string, opts: PoolOptions = {}) {
		this.#file = file;
		this.#entry = opts.entry ?? READ_WORKER_ENTRY;
		this.#exportLimits = opts.exportLimits ?? EXPORT_WORKER_LIMITS;
		this.#nice = opts.nice ?? WORKER_NICE;
		this.#chunkBytes = opts.chunkBytes;
		const reads = Math.max(1, opts.workers ?? 2);
		const exports = Math.max(1, opts.exportWorkers ?? reads);
		this.#groups = {
			reads: new Array<ReadWorker | undefined>(reads).fill(undefined),
			exports: new Array<ReadWorker | undefined>(exports).fill(undefined)
		};
		openPools().add(this);
	}

	/**
	 * The least busy live worker of a group. Every worker of both groups starts (or restarts) on
	 * the first need of any, so the first export of a running server does not load a thread.
	 */
	#pick(group: Group): ReadWorker {
		let best: ReadWorker | undefined;
		for (const g of ['reads', 'exports'] as const) {
			const workers = this.#groups[g];
			for (let i = 0; i < workers.length; i++) {
				let w = workers[i];
				if (!w || w.dead) {
					w = new ReadWorker(
						this.#file,
						this.#entry,
						this.#nice[g],
						g === 'exports' ? this.#exportLimits : undefined,
						this.#chunkBytes
					);
					workers[i] = w;
				}
				if (g === group && (!best || w.busy < best.busy)) best = w;
			}
		}
		return best!;
	}

	async #run<T>(
		work: (w: ReadWorker, id: number) => Promise<T>,
		group: Group = 'reads'
	): Promise<T> {
		const w = this.#pick(group);
		w.busy++;
		try {
			return await work(w, this.#nextId++);
		} finally {
			w.busy--;
		}
	}

	query(sql: string, parameters: readonly unknown[]): Promise<unknown[]> {
		return this.#run(async (w, id) => {
			const m = await w.ask({ type: 'query', id, sql, parameters });
			return m.type === 'rows' ? m.rows : [];
		});
	}

	async call(job: string, args: unknown): Promise<unknown> {
		const m = await this.#run((w, id) => w.ask({ type: 'call', id, job, args }));
		await yourTurn();
		return m.type === 'value' ? m.value : undefined;
	}

	/**
	 * A job's chunks. One chunk is asked for ahead of the reader: the worker makes the next while
	 * the reader sends this one on, and never more than one is waiting (two in memory at most).
	 */
	stream(job: string, args: unknown): AsyncGenerator<Uint8Array> {
		const pick = () => this.#pick('exports');
		const id = this.#nextId++;
		return (async function* () {
			const w = pick();
			w.busy++;
			let finished = false;
			try {
				w.tell({ type: 'start', id, job, args });
				// A worker that dies rejects the chunk asked for ahead, maybe while the reader is away:
				// marked handled here (the next read still throws), so the process is not taken down.
				const pull = () => {
					const p = w.ask({ type: 'pull', id });
					p.catch(() => {});
					return p;
				};
				let asked = pull();
				for (;;) {
					const m = await asked;
					if (m.type === 'end') {
						finished = true;
						return;
					}
					if (m.type !== 'chunk') throw new Error(`read worker sent ${m.type} in a stream`);
					asked = pull();
					yield m.bytes;
				}
			} catch (e) {
				finished = true;
				throw e;
			} finally {
				w.busy--;
				// A reader that stops early leaves a chunk asked for: it is dropped, and the job ends.
				if (!finished) w.tell({ type: 'cancel', id });
			}
		})();
	}

	/**
	 * A passive checkpoint of the WAL (db/wal.ts); the WAL starts over when it copied every frame
	 * of more than `restartAboveBytes` (db/sqlite.ts checkpointOn). On an export worker, not a
	 * query worker: once a long export lets go of the WAL, the checkpoint copies everything it held
	 * back (hundreds of MB after an hour's export) and syncs, and the pages' read jobs must not
	 * queue behind it.
	 */
	checkpoint(restartAboveBytes?: number): Promise<CheckpointResult> {
		return this.#run(async (w, id) => {
			const m = await w.ask({
				type: 'checkpoint',
				id,
				...(restartAboveBytes === undefined ? {} : { restartAboveBytes })
			});
			if (m.type !== 'value') throw new Error(`read worker sent ${m.type} for a checkpoint`);
			return m.value as CheckpointResult;
		}, 'exports');
	}

	/**
	 * Each running worker's own memory (its heap and the buffers it holds), for finding what grows
	 * (scripts/bench/export-memory.ts); workers not started yet are left out.
	 */
	async memory(): Promise<Array<{ group: Group; busy: number } & ThreadMemory>> {
		const all = (['reads', 'exports'] as const).flatMap((group) =>
			this.#groups[group]
				.filter((w): w is ReadWorker => w !== undefined && !w.dead)
				.map((w) => ({ group, w }))
		);
		return Promise.all(
			all.map(async ({ group, w }) => {
				const m = await w.ask({ type: 'memory', id: this.#nextId++ });
				return { group, busy: w.busy, ...(m.type === 'value' ? (m.value as ThreadMemory) : zero) };
			})
		);
	}

	async close(): Promise<void> {
		openPools().delete(this);
		const running = [...this.#groups.reads, ...this.#groups.exports].filter(
			(w): w is ReadWorker => w !== undefined
		);
		this.#groups.reads.fill(undefined);
		this.#groups.exports.fill(undefined);
		await Promise.all(running.map((w) => w.worker.terminate()));
	}
}

/** The read executor of a SQLite database file: its jobs and queries on read workers. */
export function workerReads(file: string, opts: PoolOptions = {}): ReadExecutor {
	return poolReads(new ReadWorkerPool(file, opts));
}

/** The read executor over a pool made by the caller (who may also ask it for its memory). */
export function poolReads(pool: ReadWorkerPool): ReadExecutor {
	const db = new Kysely<DB>({ dialect: new RemoteSqliteDialect(pool) });
	return {
		db,
		stream: (job, args) => pullStream(pool.stream(job, args)),
		value: (job, args) => pool.call(job, args) as never,
		checkpoint: () => pool.checkpoint(WAL_RESTART_BYTES),
		close: () => pool.close()
	};
}

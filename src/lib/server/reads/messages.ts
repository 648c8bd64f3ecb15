// What the request thread and a read worker say to each other. A stream moves by credit: the
// worker sends one chunk for each 'pull', so a slow client slows the reading, never the memory.

/**
 * How much less of the CPU a read worker asks for than the request thread (nice values added
 * to the process's, per thread). On two cores four busy workers beside the request thread left a save waiting behind
 * them for its share: the request thread (saves, the board's live events, pages) must win the
 * CPU whenever it has work, and a worker take what it leaves. Queries and dashboard jobs come
 * next; exports, whose callers wait seconds to minutes anyway, last. Linux applies a nice value
 * to one thread, so each worker sets its own (`os.setPriority(0, n)` from inside it); elsewhere,
 * where that call would lower the whole process, the workers keep the process's priority.
 */
export const WORKER_NICE = { reads: 5, exports: 10 } as const;

/** What a read worker starts with: the database file, and its own nice value (see WORKER_NICE). */
export interface ReadWorkerData {
	file: string;
	nice: number;
	/** The size of an export's chunks (READ_CHUNK_BYTES unless given). */
	chunkBytes?: number;
}

export interface WorkerError {
	name: string;
	message: string;
	/** A service's expected failure (runtime/errors.ts): its HTTP status and field errors. */
	status?: number;
	fieldErrors?: Record<string, string[]>;
}

export type ToWorker =
	| { type: 'query'; id: number; sql: string; parameters: readonly unknown[] }
	| { type: 'call'; id: number; job: string; args: unknown }
	| { type: 'start'; id: number; job: string; args: unknown }
	| { type: 'pull'; id: number }
	| { type: 'cancel'; id: number }
	| { type: 'memory'; id: number }
	/**
	 * A passive WAL checkpoint on the worker's own writable connection (db/wal.ts), which starts
	 * the WAL over when it copied every frame of more than `restartAboveBytes` (db/sqlite.ts).
	 */
	| { type: 'checkpoint'; id: number; restartAboveBytes?: number };

export type FromWorker =
	| { type: 'rows'; id: number; rows: unknown[] }
	| { type: 'value'; id: number; value: unknown }
	| { type: 'chunk'; id: number; bytes: Uint8Array }
	| { type: 'end'; id: number }
	| { type: 'error'; id: number; error: WorkerError };

/** A thread's own heap (V8's, per isolate) and the buffers it holds outside it, in bytes. */
export interface ThreadMemory {
	heapUsed: number;
	heapTotal: number;
	/** Memory outside the heap that the thread's objects hold (Buffers among it). */
	external: number;
	arrayBuffers: number;
}

/** This thread's memory (process.memoryUsage's heap figures are the calling isolate's). */
export function threadMemory(): ThreadMemory {
	const { heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
	return { heapUsed, heapTotal, external, arrayBuffers };
}

export function workerError(e: unknown): WorkerError {
	if (!(e instanceof Error)) return { name: 'Error', message: String(e) };
	const out: WorkerError = { name: e.name, message: e.message };
	const { status, fieldErrors } = e as { status?: unknown; fieldErrors?: unknown };
	if (typeof status === 'number') out.status = status;
	if (fieldErrors && typeof fieldErrors === 'object') {
		out.fieldErrors = fieldErrors as Record<string, string[]>;
	}
	return out;
}

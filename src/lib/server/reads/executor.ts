// Where heavy reads run. The services ask a ReadExecutor for a job's bytes or value, or for a
// read-only Kysely handle, and never learn where the work happens: in a read worker on its own
// SQLite connection (reads/pool.ts, the server), on a PostgreSQL pool, or in-process (an
// in-memory test database, which no second connection can see).
import type { Db } from '../db';
import type { CheckpointResult } from '../db/wal';
import type { ServiceContext } from '../runtime/context';
import { chunksOf } from '../export/bundle';
import { FLUSH } from '../export/stream';
import {
	STREAM_JOBS,
	VALUE_JOBS,
	type StreamJobArgs,
	type StreamJobName,
	type ValueJobArgs,
	type ValueJobName,
	type ValueJobResult
} from './jobs';

export interface ReadExecutor {
	/** Queries only; on SQLite each runs on a read worker's connection, off the request thread. */
	readonly db: Db;
	/**
	 * A job's output as bytes, produced only as fast as the reader takes them, from one snapshot
	 * of the database (every file of a bundle sees the same rows).
	 */
	stream<K extends StreamJobName>(job: K, args: StreamJobArgs<K>): ReadableStream<Uint8Array>;
	value<K extends ValueJobName>(job: K, args: ValueJobArgs<K>): Promise<ValueJobResult<K>>;
	/** A passive WAL checkpoint on a connection of the workers' (SQLite files only). */
	checkpoint?(): Promise<CheckpointResult>;
	close(): Promise<void>;
}

/**
 * Bytes gathered before a chunk is handed on: large enough for throughput, small for memory. Each
 * chunk costs the request thread a round trip with the worker, a web-stream read and a socket
 * write whatever its size: at 64 KB that was about 4 ms of its CPU per MB sent, at 256 KB about
 * 2.2 (the rest is the socket's copy), with at most three chunks of an export in memory at once.
 */
export const READ_CHUNK_BYTES = 256 * 1024;

/**
 * Held bytes go on once they have waited this long for more, so a source that writes slowly
 * (a page of rows at a time on a loaded machine) still reaches the client as it goes.
 */
export const READ_FLUSH_MS = 250;

/**
 * Small pieces gathered into chunks of about `size` bytes. What is held goes on at once at a
 * FLUSH (a source about to go quiet), or with the next piece once it has waited `flushMs`: a
 * client sees the first bytes of a document whose remainder takes minutes to make.
 */
export async function* coalesce(
	pieces: AsyncIterable<Uint8Array>,
	size = READ_CHUNK_BYTES,
	flushMs = READ_FLUSH_MS
): AsyncGenerator<Uint8Array> {
	let held: Uint8Array[] = [];
	let bytes = 0;
	let since = 0;
	for await (const piece of pieces) {
		if (piece === FLUSH) {
			if (bytes > 0) {
				yield held.length === 1 ? held[0]! : Buffer.concat(held, bytes);
				held = [];
				bytes = 0;
			}
			continue;
		}
		// A piece as large as a chunk goes on as it is, without a copy (a source never reuses what
		// it has yielded: the worker may move its memory to the request thread).
		if (bytes === 0 && piece.length >= size) {
			yield piece;
			continue;
		}
		if (piece.length === 0) continue;
		if (bytes === 0) since = performance.now();
		held.push(piece);
		bytes += piece.length;
		if (bytes >= size || performance.now() - since >= flushMs) {
			yield held.length === 1 ? held[0]! : Buffer.concat(held, bytes);
			held = [];
			bytes = 0;
		}
	}
	if (bytes > 0) yield held.length === 1 ? held[0]! : Buffer.concat(held, bytes);
}

/** A pull-driven web stream over an async iterator: nothing is made before it is asked for. */
export function pullStream(chunks: AsyncIterator<Uint8Array>): ReadableStream<Uint8Array> {
	return new ReadableStream<Uint8Array>(
		{
			async pull(controller) {
				const next = await chunks.next();
				if (next.done) controller.close();
				else controller.enqueue(next.value);
			},
			async cancel() {
				await chunks.return?.();
			}
		},
		{ highWaterMark: 0 }
	);
}

/** The jobs run here, on this handle: for in-memory databases and asynchronous drivers. */
export function inlineReads(db: Db): ReadExecutor {
	return {
		db,
		stream(job, args) {
			const run = STREAM_JOBS[job] as (db: Db, a: typeof args) => Parameters<typeof chunksOf>[0];
			const chunks = coalesce(chunksOf(run(db, args)));
			return pullStream(chunks[Symbol.asyncIterator]());
		},
		value(job, args) {
			const run = VALUE_JOBS[job] as (
				db: Db,
				a: typeof args
			) => Promise<ValueJobResult<typeof job>>;
			return run(db, args);
		},
		async close() {}
	};
}

/** The context's read executor; contexts made without one read in-process. */
export function readsOf(ctx: Pick<ServiceContext, 'db' | 'reads'>): ReadExecutor {
	return ctx.reads ?? inlineReads(ctx.db);
}

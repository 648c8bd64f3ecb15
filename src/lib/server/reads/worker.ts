// A read worker: its own read-only SQLite connections beside the writer (WAL), running the jobs
// of reads/jobs.ts and single queries for the request thread's read-only Kysely handle. Each job
// runs in one read transaction on a connection of its own, so what it writes is one snapshot.
import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { CompiledQuery } from 'kysely';
import SQLite from 'better-sqlite3';
import { checkpointOn, openReadOnlyDatabase, type SqliteDatabase } from '../db';
import { CachedSqliteConnection } from '../db/driver';
import { chunksOf } from '../export/bundle';
import { coalesce } from './executor';
import { STREAM_JOBS, VALUE_JOBS } from './jobs';
import {
	threadMemory,
	workerError,
	type FromWorker,
	type ReadWorkerData,
	type ToWorker
} from './messages';

const port = parentPort!;
const { file, nice, chunkBytes } = workerData as ReadWorkerData;

// This thread only: on Linux a nice value belongs to a thread, and pid 0 names the caller
// (elsewhere it would name the whole process, the request thread too, so it is left alone). It is
// added to the value the thread started with (the process's), so a server started under `nice`
// keeps its workers below itself.
if (nice > 0 && process.platform === 'linux') {
	try {
		setPriority(0, Math.min(19, getPriority(0) + nice));
	} catch {
		// not permitted here: the worker runs at the process's priority
	}
}

/** Connections not in use by a job, kept for the next (opening one parses the schema). */
const idle: SqliteDatabase[] = [];
const queries = openReadOnlyDatabase(file);
const queryConnection = new CachedSqliteConnection(queries.sqlite);

function send(message: FromWorker, transfer: ArrayBuffer[] = []): void {
	port.postMessage(message, transfer);
}

/** A connection inside a read transaction whose snapshot is taken now. */
function snapshot(): SqliteDatabase {
	const conn = idle.pop() ?? openReadOnlyDatabase(file);
	conn.sqlite.exec('begin');
	conn.sqlite.prepare('select count(*) from sqlite_schema').get();
	return conn;
}

function release(conn: SqliteDatabase): void {
	if (conn.sqlite.inTransaction) conn.sqlite.exec('commit');
	if (idle.length < 4) idle.push(conn);
	else void conn.db.destroy();
}

interface Running {
	chunks: AsyncIterator<Uint8Array>;
	conn: SqliteDatabase;
}

const streams = new Map<number, Running>();

async function pull(id: number): Promise<void> {
	const running = streams.get(id);
	if (!running) return;
	try {
		const next = await running.chunks.next();
		// Cancelled while this chunk was being made (the reader asks one ahead): cancel releases
		// the connection; the reader's waiting request is answered and the chunk dropped.
		if (streams.get(id) !== running) return send({ type: 'end', id });
		if (next.done) {
			streams.delete(id);
			release(running.conn);
			send({ type: 'end', id });
			return;
		}
		// Memory that moves to the other thread instead of being copied again: the chunk's own when
		// it is the whole of it, else a private copy (a view may share its memory with others).
		const v = next.value;
		const own = v.buffer instanceof ArrayBuffer && v.byteOffset === 0;
		// (new Uint8Array(v) copies; a Buffer's slice() would not.)
		const buffer =
			own && v.byteLength === v.buffer.byteLength ? v.buffer : new Uint8Array(v).buffer;
		send({ type: 'chunk', id, bytes: new Uint8Array(buffer) }, [buffer]);
	} catch (e) {
		if (streams.get(id) !== running) return send({ type: 'end', id });
		streams.delete(id);
		release(running.conn);
		send({ type: 'error', id, error: workerError(e) });
	}
}

async function cancel(id: number): Promise<void> {
	const running = streams.get(id);
	if (!running) return;
	streams.delete(id);
	try {
		await running.chunks.return?.();
	} finally {
		release(running.conn);
	}
}

function start(id: number, job: string, args: unknown): void {
	const run = STREAM_JOBS[job as keyof typeof STREAM_JOBS] as
		((db: SqliteDatabase['db'], a: unknown) => Parameters<typeof chunksOf>[0]) | undefined;
	if (!run) return send({ type: 'error', id, error: { name: 'Error', message: `no job ${job}` } });
	let conn: SqliteDatabase | undefined;
	try {
		conn = snapshot();
		const chunks = coalesce(chunksOf(run(conn.db, args)), chunkBytes)[Symbol.asyncIterator]();
		streams.set(id, { chunks, conn });
	} catch (e) {
		if (conn) release(conn);
		send({ type: 'error', id, error: workerError(e) });
	}
}

async function call(id: number, job: string, args: unknown): Promise<void> {
	const run = VALUE_JOBS[job as keyof typeof VALUE_JOBS] as
		((db: SqliteDatabase['db'], a: unknown) => Promise<unknown>) | undefined;
	if (!run) return send({ type: 'error', id, error: { name: 'Error', message: `no job ${job}` } });
	let conn: SqliteDatabase | undefined;
	try {
		conn = snapshot();
		send({ type: 'value', id, value: await run(conn.db, args) });
	} catch (e) {
		send({ type: 'error', id, error: workerError(e) });
	} finally {
		if (conn) release(conn);
	}
}

async function query(id: number, sql: string, parameters: readonly unknown[]): Promise<void> {
	try {
		const result = await queryConnection.executeQuery(CompiledQuery.raw(sql, [...parameters]));
		send({ type: 'rows', id, rows: result.rows });
	} catch (e) {
		send({ type: 'error', id, error: workerError(e) });
	}
}

/**
 * The one writable connection a read worker has: it only checkpoints the WAL (the server's writer
 * does not, so its commits never wait for the database file's sync). FULL: a checkpoint syncs the
 * WAL before copying it into the database and the database after.
 */
let checkpointer: SQLite.Database | undefined;

function checkpoint(id: number, restartAboveBytes: number | undefined): void {
	try {
		if (!checkpointer) {
			checkpointer = new SQLite(file, { fileMustExist: true });
			checkpointer.pragma('synchronous = FULL');
			checkpointer.pragma('wal_autocheckpoint = 0');
		}
		send({ type: 'value', id, value: checkpointOn(checkpointer, restartAboveBytes) });
	} catch (e) {
		send({ type: 'error', id, error: workerError(e) });
	}
}

port.on('message', (m: ToWorker) => {
	switch (m.type) {
		case 'query':
			return void query(m.id, m.sql, m.parameters);
		case 'call':
			return void call(m.id, m.job, m.args);
		case 'start':
			return start(m.id, m.job, m.args);
		case 'pull':
			return void pull(m.id);
		case 'cancel':
			return void cancel(m.id);
		case 'memory':
			return send({ type: 'value', id: m.id, value: threadMemory() });
		case 'checkpoint':
			return checkpoint(m.id, m.restartAboveBytes);
	}
});

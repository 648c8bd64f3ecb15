// What a read worker keeps between views: a job's reads of the database, given again while
// nothing has been committed since they were read. SQLite changes a connection's `data_version`
// whenever another connection has committed since its last read transaction began (the server's
// writer, a migration), and only then; read inside the job's snapshot, the same version is the
// same database, so the same reads with the same key read the same rows. Any commit, relevant or
// not, makes the next view read afresh. Only on a read-only connection inside a read transaction
// (a worker's snapshot: its own commits, of which it has none, would not change the version);
// anywhere else (PostgreSQL, an in-process read over the writer) the reads simply run. This is
// for the part of a job that reads no clock (the board's flags, whose ages each view works out);
// a whole view that reads no clock is kept on the request thread instead, with no job at all
// (services/dashboards/view-cache.ts).
import { sqliteHandleOf } from '../db/sqlite';

/** Reads kept on one connection, at most this many (the least recently given dropped first). */
const KEPT_PER_CONNECTION = 16;

const kept = new WeakMap<object, Map<string, { version: number; value: unknown }>>();

/**
 * `read()`, or what it gave last time on this connection under this key while nothing has been
 * committed since. The key must hold everything the reads depend on besides the database: the
 * reader (the whole actor, so nothing is ever given to another reader) and the query; the reads
 * must not depend on the clock. What is given again is the same object: callers must not change it.
 */
export async function keptRead<T>(db: object, key: string, read: () => Promise<T>): Promise<T> {
	const sqlite = sqliteHandleOf(db);
	if (!sqlite || !sqlite.readonly || !sqlite.inTransaction) return read();
	const version = sqlite.pragma('data_version', { simple: true }) as number;
	let answers = kept.get(sqlite);
	if (!answers) kept.set(sqlite, (answers = new Map()));
	const hit = answers.get(key);
	answers.delete(key);
	if (hit && hit.version === version) {
		answers.set(key, hit);
		return hit.value as T;
	}
	const value = await read();
	answers.set(key, { version, value });
	if (answers.size > KEPT_PER_CONNECTION) answers.delete(answers.keys().next().value!);
	return value;
}

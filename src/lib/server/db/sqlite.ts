// SQLite: the embedded database, the default for one site. Its specifics live here.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely } from 'kysely';
import { CachedSqliteDialect } from './driver';
import type { DB } from './schema';
import type { Db } from './index';
import { WAL_SIZE_LIMIT, WalSync, walPathOf, type CheckpointResult, type SyncFile } from './wal';

export interface SqliteDatabase {
	kind: 'sqlite';
	db: Db;
	sqlite: SQLite.Database;
	/** Where it lives: the file, or ':memory:'. */
	file: string;
	/** Opened with `syncAfterCommit`: what syncs its WAL, which the opener keeps checkpointed. */
	wal?: WalSync;
}

export interface OpenOptions {
	/**
	 * Commits are made durable after COMMIT, off the calling thread (db/wal.ts), instead of inside
	 * it; the opener must then checkpoint the WAL (keepCheckpointed): the writer's automatic
	 * checkpoint is off. For the server on a file; a short-lived process (the CLI) keeps FULL.
	 */
	syncAfterCommit?: boolean;
	/** How the WAL is synced (a file's fdatasync unless given; tests hold it to watch the order). */
	syncFile?: SyncFile;
}

/** The better-sqlite3 handle under each Kysely handle this module opened. */
const handles = new WeakMap<object, SQLite.Database>();

/**
 * The better-sqlite3 handle under a Kysely handle opened here, or null (PostgreSQL, or a
 * transaction's executor). For the few reads that go below Kysely because its row objects cost
 * more than the work on them (audit verify's walk of the whole trail); each keeps a Kysely path
 * for the other cases.
 */
export function sqliteHandleOf(db: object): SQLite.Database | null {
	return handles.get(db) ?? null;
}

/** Opens (creating when absent) a database file, or ':memory:' for tests. */
export function openDatabase(file: string, opts: OpenOptions = {}): SqliteDatabase {
	if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
	const sqlite = new SQLite(file);
	sqlite.pragma('journal_mode = WAL');
	sqlite.pragma('foreign_keys = ON');
	sqlite.pragma('busy_timeout = 5000');
	let wal: WalSync | undefined;
	if (opts.syncAfterCommit && file !== ':memory:') {
		// NORMAL: COMMIT writes the WAL without syncing it; WalSync syncs it before the write
		// returns. The checkpoints, which sync the database file, run on another connection.
		sqlite.pragma('synchronous = NORMAL');
		sqlite.pragma('wal_autocheckpoint = 0');
		sqlite.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
		wal = new WalSync(walPathOf(file), opts.syncFile);
	} else {
		// better-sqlite3 leaves WAL databases at NORMAL, which can lose the last commits on power loss.
		sqlite.pragma('synchronous = FULL');
	}
	const afterCommit = wal ? () => wal.flush() : undefined;
	const db = new Kysely<DB>({
		dialect: new CachedSqliteDialect(sqlite, 'begin immediate', afterCommit)
	});
	handles.set(db, sqlite);
	return { kind: 'sqlite', db, sqlite, file, ...(wal ? { wal } : {}) };
}

/**
 * A passive checkpoint (it never waits: frames a reader still needs stay in the WAL) on a
 * connection of the caller's own, which syncs the WAL before copying and the database after.
 *
 * When the WAL holds more than `restartAboveBytes` and the passive pass copied every frame, it
 * also starts the WAL over and cuts its file to nothing (TRUNCATE), without waiting: busy_timeout
 * 0, so it gives up at once when the writer is in a transaction or a reader still reads from the
 * WAL (`pending`: the caller tries again). Without this the WAL never started over under
 * continuous writes: the writer starts it over only when its transaction begins with every frame
 * copied, and a passive checkpoint never caught up with commits that kept coming while it ran;
 * the file grew by every commit (295 MB in the bench's two-minute mixed load) and each read's
 * lookup in the WAL index with it. TRUNCATE holds the writer's lock while it copies the frames
 * committed since the passive pass (a few, often none) and cuts the file.
 */
export function checkpointOn(
	sqlite: SQLite.Database,
	restartAboveBytes = Infinity
): CheckpointResult {
	const passive = walCheckpoint(sqlite, 'PASSIVE');
	if (passive.log * walFrameBytes(sqlite) <= restartAboveBytes) return passive;
	if (passive.busy || passive.checkpointed < passive.log) return { ...passive, pending: true };
	const timeout = sqlite.pragma('busy_timeout', { simple: true }) as number;
	sqlite.pragma('busy_timeout = 0');
	try {
		const truncate = walCheckpoint(sqlite, 'TRUNCATE');
		return truncate.busy ? { ...passive, pending: true } : { ...truncate, restarted: true };
	} finally {
		sqlite.pragma(`busy_timeout = ${timeout}`);
	}
}

function walCheckpoint(sqlite: SQLite.Database, mode: 'PASSIVE' | 'TRUNCATE'): CheckpointResult {
	const [row] = sqlite.pragma(`wal_checkpoint(${mode})`) as Array<{
		busy: number;
		log: number;
		checkpointed: number;
	}>;
	return { busy: row!.busy !== 0, log: row!.log, checkpointed: row!.checkpointed };
}

/** The bytes of one WAL frame: a page and its 24-byte header. */
const walFrameBytes = (sqlite: SQLite.Database) =>
	(sqlite.pragma('page_size', { simple: true }) as number) + 24;

/**
 * Refreshes the query planner's statistics (sqlite_stat1) where tables changed. Without them
 * SQLite guesses that `site_id IN (…)` picks a few rows and sorts a whole site's flags to show a
 * page of them, where walking an index in the list's order stops after the page. Bounded by
 * analysis_limit, so it stays quick at any size; SQLite advises it at start and every few hours.
 */
export function refreshPlannerStatistics(sqlite: SQLite.Database): void {
	sqlite.pragma('analysis_limit = 2000');
	sqlite.pragma('optimize = 0x10002');
}

/** SQLite's fast structural check; start-up refuses to serve when it fails. */
export function quickCheck(sqlite: SQLite.Database): string[] {
	const rows = sqlite.pragma('quick_check') as Array<{ quick_check: string }>;
	const problems = rows.map((r) => r.quick_check).filter((m) => m !== 'ok');
	return problems;
}

/** Online backup to a file (SQLite's backup API): safe while the server is writing. */
export async function backupDatabase(sqlite: SQLite.Database, target: string): Promise<number> {
	mkdirSync(dirname(target), { recursive: true });
	const result = await sqlite.backup(target);
	return result.totalPages;
}

/**
 * The page cache of each read-only connection, in KiB. better-sqlite3 builds SQLite with 16 MB a
 * connection, and the read workers hold a few connections each (a job's, and up to four idle), so
 * the server's memory grew by the caches of every connection a busy worker had opened. A read
 * connection's cache helps only within one snapshot here: a new read transaction after any commit
 * (a save a second, under use) starts with it emptied, so a larger one buys little beyond a job.
 */
export const READ_CACHE_KIB = 2048;

/**
 * A read-only connection beside the writer (WAL lets readers run while it writes), for work off
 * the request thread. Transactions on it are plain BEGIN: one snapshot until COMMIT.
 */
export function openReadOnlyDatabase(file: string): SqliteDatabase {
	const sqlite = new SQLite(file, { readonly: true, fileMustExist: true });
	sqlite.pragma('busy_timeout = 5000');
	sqlite.pragma(`cache_size = -${READ_CACHE_KIB}`);
	const db = new Kysely<DB>({ dialect: new CachedSqliteDialect(sqlite, 'begin') });
	handles.set(db, sqlite);
	return { kind: 'sqlite', db, sqlite, file };
}

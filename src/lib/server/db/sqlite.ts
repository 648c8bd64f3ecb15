// SQLite: the embedded database, the default for one site. Its specifics live here.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import {
	CompiledQuery,
	Kysely,
	SqliteDialect,
	SqliteDriver,
	type DatabaseConnection,
	type Driver
} from 'kysely';
import type { DB } from './schema';
import type { Db } from './index';

/**
 * Kysely's SQLite driver starts transactions DEFERRED; with more than one writer (server and CLI)
 * that fails with SQLITE_BUSY_SNAPSHOT. Every transaction here is a write transaction, so take the
 * write lock at BEGIN.
 */
class ImmediateSqliteDriver extends SqliteDriver {
	override async beginTransaction(connection: DatabaseConnection): Promise<void> {
		await connection.executeQuery(CompiledQuery.raw('begin immediate'));
	}
}

class ImmediateSqliteDialect extends SqliteDialect {
	readonly #config: ConstructorParameters<typeof SqliteDialect>[0];
	constructor(config: ConstructorParameters<typeof SqliteDialect>[0]) {
		super(config);
		this.#config = config;
	}
	override createDriver(): Driver {
		return new ImmediateSqliteDriver(this.#config);
	}
}

export interface SqliteDatabase {
	kind: 'sqlite';
	db: Db;
	sqlite: SQLite.Database;
	/** Where it lives: the file, or ':memory:'. */
	file: string;
}

/** Opens (creating when absent) a database file, or ':memory:' for tests. */
export function openDatabase(file: string): SqliteDatabase {
	if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
	const sqlite = new SQLite(file);
	sqlite.pragma('journal_mode = WAL');
	// better-sqlite3 leaves WAL databases at NORMAL, which can lose the last commits on power loss.
	sqlite.pragma('synchronous = FULL');
	sqlite.pragma('foreign_keys = ON');
	sqlite.pragma('busy_timeout = 5000');
	const db = new Kysely<DB>({ dialect: new ImmediateSqliteDialect({ database: sqlite }) });
	return { kind: 'sqlite', db, sqlite, file };
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

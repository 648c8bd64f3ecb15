// Kysely's better-sqlite3 driver, with two changes: every transaction takes the write lock at
// BEGIN (IMMEDIATE), and statements are prepared once per SQL text and reused. Kysely compiles
// the same SQL for the same query shape, but its driver calls prepare() on every execution, and
// better-sqlite3 caches nothing: on the write path that was a third of a save's time.
import type SQLite from 'better-sqlite3';
import {
	CompiledQuery,
	SelectQueryNode,
	SqliteAdapter,
	SqliteIntrospector,
	SqliteQueryCompiler,
	type DatabaseConnection,
	type Dialect,
	type Driver,
	type Kysely,
	type QueryResult
} from 'kysely';

/** Distinct statements kept prepared; the app has a few hundred query shapes. */
const STATEMENT_CACHE_SIZE = 1000;

/** One better-sqlite3 handle with its prepared statements, least recently used dropped first. */
export class CachedSqliteConnection implements DatabaseConnection {
	readonly #db: SQLite.Database;
	readonly #statements = new Map<string, SQLite.Statement>();

	constructor(db: SQLite.Database) {
		this.#db = db;
	}

	prepare(sql: string): SQLite.Statement {
		let stmt = this.#statements.get(sql);
		if (stmt) {
			// Move to the young end of the map's insertion order.
			this.#statements.delete(sql);
		} else {
			stmt = this.#db.prepare(sql);
			if (this.#statements.size >= STATEMENT_CACHE_SIZE) {
				this.#statements.delete(this.#statements.keys().next().value!);
			}
		}
		this.#statements.set(sql, stmt);
		return stmt;
	}

	executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
		const stmt = this.prepare(compiled.sql);
		const params = compiled.parameters as unknown[];
		if (stmt.reader) return Promise.resolve({ rows: stmt.all(params) as R[] });
		const { changes, lastInsertRowid } = stmt.run(params);
		return Promise.resolve({
			numAffectedRows: BigInt(changes),
			insertId: BigInt(lastInsertRowid),
			rows: []
		});
	}

	async *streamQuery<R>(compiled: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
		if (!SelectQueryNode.is(compiled.query)) {
			throw new Error('SQLite streams only select queries');
		}
		// A statement being iterated cannot run elsewhere meanwhile: prepare a private one.
		const stmt = this.#db.prepare(compiled.sql);
		for (const row of stmt.iterate(compiled.parameters as unknown[])) yield { rows: [row as R] };
	}
}

/** SQLite has one connection: callers wait their turn for it. */
class ConnectionMutex {
	#held: Promise<void> | undefined;
	#release: (() => void) | undefined;

	async lock(): Promise<void> {
		while (this.#held) await this.#held;
		this.#held = new Promise((resolve) => (this.#release = resolve));
	}

	unlock(): void {
		const release = this.#release;
		this.#held = undefined;
		this.#release = undefined;
		release?.();
	}
}

class CachedSqliteDriver implements Driver {
	readonly #connection: CachedSqliteConnection;
	readonly #sqlite: SQLite.Database;
	readonly #begin: string;
	readonly #mutex = new ConnectionMutex();

	constructor(sqlite: SQLite.Database, begin: string) {
		this.#sqlite = sqlite;
		this.#begin = begin;
		this.#connection = new CachedSqliteConnection(sqlite);
	}

	async init(): Promise<void> {}

	async acquireConnection(): Promise<DatabaseConnection> {
		await this.#mutex.lock();
		return this.#connection;
	}

	async beginTransaction(connection: DatabaseConnection): Promise<void> {
		await connection.executeQuery(CompiledQuery.raw(this.#begin));
	}

	async commitTransaction(connection: DatabaseConnection): Promise<void> {
		await connection.executeQuery(CompiledQuery.raw('commit'));
	}

	async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
		await connection.executeQuery(CompiledQuery.raw('rollback'));
	}

	async releaseConnection(): Promise<void> {
		this.#mutex.unlock();
	}

	async destroy(): Promise<void> {
		this.#sqlite.close();
	}
}

/**
 * The dialect over one handle. `begin` is how a transaction starts: 'begin immediate' for the
 * writer (more than one writer, server and CLI, fails with SQLITE_BUSY_SNAPSHOT otherwise), plain
 * 'begin' for read-only connections.
 */
export class CachedSqliteDialect implements Dialect {
	readonly #sqlite: SQLite.Database;
	readonly #begin: string;

	constructor(sqlite: SQLite.Database, begin: 'begin immediate' | 'begin') {
		this.#sqlite = sqlite;
		this.#begin = begin;
	}

	createDriver(): Driver {
		return new CachedSqliteDriver(this.#sqlite, this.#begin);
	}

	createQueryCompiler() {
		return new SqliteQueryCompiler();
	}

	createAdapter() {
		return new SqliteAdapter();
	}

	createIntrospector(db: Kysely<unknown>) {
		return new SqliteIntrospector(db);
	}
}

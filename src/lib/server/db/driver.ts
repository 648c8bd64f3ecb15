// Kysely's better-sqlite3 driver, with three changes: every transaction takes the write lock at
// BEGIN (IMMEDIATE); statements are prepared once per SQL text and reused (Kysely compiles the
// same SQL for the same query shape, but its driver calls prepare() on every execution, and
// better-sqlite3 caches nothing: on the write path that was a third of a save's time); and row
// objects are made in JavaScript from the raw values (rowMaker).
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

/** A prepared statement, and for a reader the function that makes each row's object. */
interface Prepared {
	stmt: SQLite.Statement;
	row: RowMaker | null;
}

type RowMaker = (values: unknown[]) => unknown;

/**
 * The row objects better-sqlite3 would make (each column by name, in order, a later duplicate name
 * overwriting an earlier), made in JavaScript from the statement's raw values: better-sqlite3 adds
 * the properties one at a time from C++, which costs about as much again as reading the row (a
 * session's 20-column readings: 90 µs made there, 40 µs here). One object literal per statement,
 * so every row of it has one shape. Null, and the statement left as it is, for a column name
 * that an object literal would read as something else (`__proto__`).
 */
function rowMaker(stmt: SQLite.Statement): RowMaker | null {
	const names = stmt.columns().map((c) => c.name);
	if (names.includes('__proto__')) return null;
	stmt.raw(true);
	const fields = names.map((name, i) => `${JSON.stringify(name)}: v[${i}]`);
	return new Function('v', `return { ${fields.join(', ')} };`) as RowMaker;
}

function rowsOf<R>(prepared: Prepared, parameters: readonly unknown[]): R[] {
	const { stmt, row } = prepared;
	if (!row) return stmt.all(parameters) as R[];
	const values = stmt.all(parameters) as unknown[][];
	const rows = new Array<R>(values.length);
	for (let i = 0; i < values.length; i++) rows[i] = row(values[i]!) as R;
	return rows;
}

/** One better-sqlite3 handle with its prepared statements, least recently used dropped first. */
export class CachedSqliteConnection implements DatabaseConnection {
	readonly #db: SQLite.Database;
	readonly #statements = new Map<string, Prepared>();

	constructor(db: SQLite.Database) {
		this.#db = db;
	}

	#prepared(sql: string): Prepared {
		let prepared = this.#statements.get(sql);
		if (prepared) {
			// Move to the young end of the map's insertion order.
			this.#statements.delete(sql);
		} else {
			const stmt = this.#db.prepare(sql);
			prepared = { stmt, row: stmt.reader ? rowMaker(stmt) : null };
			if (this.#statements.size >= STATEMENT_CACHE_SIZE) {
				this.#statements.delete(this.#statements.keys().next().value!);
			}
		}
		this.#statements.set(sql, prepared);
		return prepared;
	}

	/**
	 * Writes made outside a transaction (each its own commit) so far. Transaction control
	 * statements are read-only to SQLite; a writer's statement inside a transaction is counted by
	 * its COMMIT instead.
	 */
	autocommitWrites = 0;

	#counted(prepared: Prepared): void {
		if (!prepared.stmt.readonly && !this.#db.inTransaction) this.autocommitWrites++;
	}

	executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
		const prepared = this.#prepared(compiled.sql);
		const params = compiled.parameters as unknown[];
		if (prepared.stmt.reader) {
			const rows = rowsOf<R>(prepared, params);
			this.#counted(prepared);
			return Promise.resolve({ rows });
		}
		const { changes, lastInsertRowid } = prepared.stmt.run(params);
		this.#counted(prepared);
		return Promise.resolve({
			numAffectedRows: BigInt(changes),
			insertId: BigInt(lastInsertRowid),
			rows: []
		});
	}

	/** The rows a statement returns (none for a write without RETURNING), run at once. */
	rows<R>(sql: string, parameters: readonly unknown[]): R[] {
		const prepared = this.#prepared(sql);
		if (prepared.stmt.reader) {
			const rows = rowsOf<R>(prepared, parameters);
			this.#counted(prepared);
			return rows;
		}
		prepared.stmt.run(parameters);
		this.#counted(prepared);
		return [];
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

/** Each handle's adapter (what a transaction shares with its database) → its one connection. */
const connectionOf = new WeakMap<object, CachedSqliteConnection>();

/**
 * The connection an open SQLite transaction holds, to run a compiled statement on it directly
 * (db/prepared.ts): inside a transaction the connection is this transaction's until it ends, so
 * Kysely's executor (its connection provider, its queue, a query id and a promise per step) adds
 * nothing but time. Undefined outside a transaction (the caller must wait for the connection),
 * for PostgreSQL, and for a handle with plugins (they rewrite each query).
 */
export function heldSqliteConnection(db: {
	isTransaction: boolean;
	getExecutor(): { adapter: object; plugins: readonly unknown[] };
}): CachedSqliteConnection | undefined {
	if (!db.isTransaction) return undefined;
	const executor = db.getExecutor();
	if (executor.plugins.length > 0) return undefined;
	return connectionOf.get(executor.adapter);
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

/**
 * One hold of the connection: what Kysely passes back to commit and release it. A commit that is
 * made durable afterwards (db/wal.ts) lets the next writer in before its sync ends; its lease
 * records that the connection is already given back.
 */
class Lease implements DatabaseConnection {
	released = false;
	/** The connection's count of writes outside a transaction when this hold began. */
	readonly autocommitWrites: number;
	constructor(readonly connection: CachedSqliteConnection) {
		this.autocommitWrites = connection.autocommitWrites;
	}
	executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
		return this.connection.executeQuery(compiled);
	}
	streamQuery<R>(compiled: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
		return this.connection.streamQuery(compiled);
	}
}

/** Run after each commit, with the connection already free: resolves once it is durable. */
export type AfterCommit = () => Promise<void>;

class CachedSqliteDriver implements Driver {
	readonly #connection: CachedSqliteConnection;
	readonly #sqlite: SQLite.Database;
	readonly #begin: string;
	readonly #afterCommit: AfterCommit | undefined;
	readonly #mutex = new ConnectionMutex();

	constructor(
		sqlite: SQLite.Database,
		begin: string,
		connection: CachedSqliteConnection,
		afterCommit: AfterCommit | undefined
	) {
		this.#sqlite = sqlite;
		this.#begin = begin;
		this.#connection = connection;
		this.#afterCommit = afterCommit;
	}

	async init(): Promise<void> {}

	async acquireConnection(): Promise<DatabaseConnection> {
		await this.#mutex.lock();
		return new Lease(this.#connection);
	}

	async beginTransaction(connection: DatabaseConnection): Promise<void> {
		await connection.executeQuery(CompiledQuery.raw(this.#begin));
	}

	async commitTransaction(connection: DatabaseConnection): Promise<void> {
		await connection.executeQuery(CompiledQuery.raw('commit'));
		if (!this.#afterCommit) return;
		// Committed: the next writer may start while this one waits for the disk.
		(connection as Lease).released = true;
		this.#mutex.unlock();
		await this.#afterCommit();
	}

	async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
		// Committed and given back, its sync failed: nothing to roll back, and the connection may be
		// in another writer's transaction by now.
		if ((connection as Lease).released) return;
		await connection.executeQuery(CompiledQuery.raw('rollback'));
	}

	async releaseConnection(connection: DatabaseConnection): Promise<void> {
		const lease = connection as Lease;
		if (lease.released) return;
		lease.released = true;
		const wrote = lease.autocommitWrites !== this.#connection.autocommitWrites;
		this.#mutex.unlock();
		// A write outside a transaction committed by itself: durable before its caller goes on.
		if (wrote && this.#afterCommit) await this.#afterCommit();
	}

	async destroy(): Promise<void> {
		this.#sqlite.close();
	}
}

/** What every SQLite dialect here shares (this one, and the read workers' remote one). */
export abstract class SqliteDialectParts implements Dialect {
	abstract createDriver(): Driver;

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

/**
 * The dialect over one handle. `begin` is how a transaction starts: 'begin immediate' for the
 * writer (more than one writer, server and CLI, fails with SQLITE_BUSY_SNAPSHOT otherwise), plain
 * 'begin' for read-only connections. `afterCommit`, when given, runs after each transaction's
 * COMMIT with the connection already free, and the transaction ends when it resolves.
 */
export class CachedSqliteDialect extends SqliteDialectParts {
	readonly #sqlite: SQLite.Database;
	readonly #begin: string;
	readonly #connection: CachedSqliteConnection;

	readonly #afterCommit: AfterCommit | undefined;

	constructor(
		sqlite: SQLite.Database,
		begin: 'begin immediate' | 'begin',
		afterCommit?: AfterCommit
	) {
		super();
		this.#sqlite = sqlite;
		this.#begin = begin;
		this.#afterCommit = afterCommit;
		this.#connection = new CachedSqliteConnection(sqlite);
	}

	createDriver(): Driver {
		return new CachedSqliteDriver(this.#sqlite, this.#begin, this.#connection, this.#afterCommit);
	}

	override createAdapter() {
		const adapter = super.createAdapter();
		connectionOf.set(adapter, this.#connection);
		return adapter;
	}
}

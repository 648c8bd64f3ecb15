// A Kysely dialect whose queries run on a read worker's connection: the request thread compiles
// the query and maps the rows, the worker does the reading. Read-only and without transactions
// (a job that needs one snapshot runs as a whole in the worker instead).
import {
	SqliteAdapter,
	SqliteIntrospector,
	SqliteQueryCompiler,
	type CompiledQuery,
	type DatabaseConnection,
	type Dialect,
	type Driver,
	type Kysely,
	type QueryResult
} from 'kysely';

export interface QueryRunner {
	query(sql: string, parameters: readonly unknown[]): Promise<unknown[]>;
}

class RemoteConnection implements DatabaseConnection {
	constructor(private readonly runner: QueryRunner) {}

	async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
		return { rows: (await this.runner.query(compiled.sql, compiled.parameters)) as R[] };
	}

	// eslint-disable-next-line require-yield
	async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
		throw new Error('The read handle does not stream; run a read job instead.');
	}
}

const NO_TRANSACTIONS = 'The read handle has no transactions: writes go through the writer.';

class RemoteDriver implements Driver {
	readonly #connection: RemoteConnection;
	constructor(runner: QueryRunner) {
		this.#connection = new RemoteConnection(runner);
	}
	async init(): Promise<void> {}
	async acquireConnection(): Promise<DatabaseConnection> {
		return this.#connection;
	}
	async beginTransaction(): Promise<void> {
		throw new Error(NO_TRANSACTIONS);
	}
	async commitTransaction(): Promise<void> {
		throw new Error(NO_TRANSACTIONS);
	}
	async rollbackTransaction(): Promise<void> {
		throw new Error(NO_TRANSACTIONS);
	}
	async releaseConnection(): Promise<void> {}
	async destroy(): Promise<void> {}
}

export class RemoteSqliteDialect implements Dialect {
	constructor(private readonly runner: QueryRunner) {}
	createDriver(): Driver {
		return new RemoteDriver(this.runner);
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

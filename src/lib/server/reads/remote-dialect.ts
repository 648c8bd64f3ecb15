// A Kysely dialect whose queries run on a read worker's connection: the request thread compiles
// the query and maps the rows, the worker does the reading. Read-only and without transactions
// (a job that needs one snapshot runs as a whole in the worker instead).
import type { CompiledQuery, DatabaseConnection, Driver, QueryResult } from 'kysely';
import { SqliteDialectParts } from '../db/driver';

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

export class RemoteSqliteDialect extends SqliteDialectParts {
	constructor(private readonly runner: QueryRunner) {
		super();
	}
	createDriver(): Driver {
		return new RemoteDriver(this.runner);
	}
}

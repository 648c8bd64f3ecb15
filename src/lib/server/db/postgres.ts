// PostgreSQL: the central server database (VIGIL_DATABASE_URL). Its specifics live here.
import pg from 'pg';
import {
	CompiledQuery,
	Kysely,
	PostgresDialect,
	PostgresDriver,
	type DatabaseConnection,
	type Driver,
	type PostgresDialectConfig,
	type TransactionSettings
} from 'kysely';
import type { DB } from './schema';
import type { Db } from './index';

/**
 * Every write transaction takes this transaction-scoped advisory lock first, across every
 * connection and app instance: writes run one at a time, as on SQLite (BEGIN IMMEDIATE), so each
 * one reads the state it changes, raises each flag once, and appends to a linear audit chain.
 * (Every write appends to the one chain, so writes could not overlap past its head anyway.)
 */
export const WRITE_LOCK_KEY = 0x76_69_67_01; // 'vig' 1

/** int8 (count, bigint columns) and numeric (sum of bigint) come back as numbers, as on SQLite. */
const NUMBER_OIDS = new Set([20, 1700]);
const types = {
	getTypeParser(oid: number, format?: 'text' | 'binary') {
		if (NUMBER_OIDS.has(oid) && format !== 'binary') return (value: string) => Number(value);
		return pg.types.getTypeParser(oid, format);
	}
} as pg.CustomTypesConfig;

/**
 * SQLite binds a NaN parameter as NULL (an id field that is not a number then finds no row);
 * PostgreSQL refuses the statement. The same here, so a query means one thing on both.
 */
const nanAsNull = (value: unknown) =>
	typeof value === 'number' && Number.isNaN(value) ? null : value;

function withNanAsNull(query: CompiledQuery): CompiledQuery {
	return query.parameters.some((p) => typeof p === 'number' && Number.isNaN(p))
		? { ...query, parameters: query.parameters.map(nanAsNull) }
		: query;
}

class SerialisedPostgresDriver extends PostgresDriver {
	override async acquireConnection(): Promise<DatabaseConnection> {
		const connection = await super.acquireConnection();
		// The connection's own methods keep their `this` (its private fields, its release).
		return new Proxy(connection, {
			get(target, key) {
				if (key === 'executeQuery') {
					return (q: CompiledQuery) => target.executeQuery(withNanAsNull(q));
				}
				if (key === 'streamQuery') {
					return (q: CompiledQuery, chunkSize?: number) =>
						target.streamQuery(withNanAsNull(q), chunkSize);
				}
				const value = Reflect.get(target, key, target);
				return typeof value === 'function' ? value.bind(target) : value;
			}
		});
	}

	override async beginTransaction(
		connection: DatabaseConnection,
		settings: TransactionSettings
	): Promise<void> {
		await super.beginTransaction(connection, settings);
		// Read-only snapshots (reads/postgres.ts) hold no one up.
		if (settings.accessMode === 'read only') return;
		await connection.executeQuery(
			CompiledQuery.raw(`select pg_advisory_xact_lock(${WRITE_LOCK_KEY})`)
		);
	}
}

class SerialisedPostgresDialect extends PostgresDialect {
	readonly #config: PostgresDialectConfig;
	constructor(config: PostgresDialectConfig) {
		super(config);
		this.#config = config;
	}
	override createDriver(): Driver {
		return new SerialisedPostgresDriver(this.#config);
	}
}

export interface PostgresDatabase {
	kind: 'postgres';
	db: Db;
	pool: pg.Pool;
	url: string;
}

/**
 * A pool of connections to the database at `url` (postgres://user:password@host:port/name).
 * `readOnly`: every transaction on it is read-only (the heavy reads' own pool).
 */
export function openPostgres(
	url: string,
	max = 10,
	opts: { readOnly?: boolean } = {}
): PostgresDatabase {
	const pool = new pg.Pool({
		connectionString: url,
		max,
		types,
		...(opts.readOnly ? { options: '-c default_transaction_read_only=on' } : {})
	});
	// An idle client losing its server (a restart) must not crash the app; the next query reconnects.
	pool.on('error', (e) => console.error('[vigil] PostgreSQL connection lost:', e.message));
	const db = new Kysely<DB>({ dialect: new SerialisedPostgresDialect({ pool }) });
	return { kind: 'postgres', db, pool, url };
}

/** One connection outside the pool, for LISTEN and session-level locks. */
export function postgresClient(url: string): pg.Client {
	return new pg.Client({ connectionString: url, types });
}

/** The URL with its password hidden, for messages. */
export function redactUrl(url: string): string {
	try {
		const u = new URL(url);
		if (u.password) u.password = '***';
		return u.toString();
	} catch {
		return 'the PostgreSQL database';
	}
}

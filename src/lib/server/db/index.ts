// The one database handle: SQLite by default (VIGIL_DB), PostgreSQL when VIGIL_DATABASE_URL is set.
// Each dialect's specifics live in ./sqlite and ./postgres; queries that differ go through ./portable.
import { Kysely, PostgresAdapter, type Transaction } from 'kysely';
import type { DB } from './schema';
import { openDatabase, type OpenOptions, type SqliteDatabase } from './sqlite';
import { openPostgres, type PostgresDatabase } from './postgres';

export type Db = Kysely<DB>;
export type Trx = Transaction<DB>;
/** Repositories take either the database or an open transaction. */
export type Executor = Kysely<DB> | Transaction<DB>;

export type DatabaseKind = 'sqlite' | 'postgres';
export type OpenedDatabase = SqliteDatabase | PostgresDatabase;

export {
	openDatabase,
	openReadOnlyDatabase,
	quickCheck,
	refreshPlannerStatistics,
	backupDatabase,
	sqliteHandleOf,
	checkpointOn,
	type OpenOptions,
	type SqliteDatabase
} from './sqlite';
export { openPostgres, type PostgresDatabase } from './postgres';

export interface DatabaseSetting {
	/** postgres://… : PostgreSQL. */
	databaseUrl?: string;
	/** The SQLite file, when there is no URL. */
	dbFile: string;
}

/** Opens the configured database. */
export function openConfiguredDatabase(
	setting: DatabaseSetting,
	opts: OpenOptions = {}
): OpenedDatabase {
	return setting.databaseUrl
		? openPostgres(setting.databaseUrl)
		: openDatabase(setting.dbFile, opts);
}

/** Which database a handle (or transaction) talks to. */
export function dialectOf(db: Executor | Kysely<unknown>): DatabaseKind {
	return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

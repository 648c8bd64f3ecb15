// Which database the integration tests run on: SQLite in memory (the default), or PostgreSQL when
// VIGIL_TEST_DB=postgres, with a new database per call on the cluster at VIGIL_TEST_DATABASE_URL
// (CI starts a throwaway one: scripts/pg-throwaway.sh).
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, type LogEvent } from 'kysely';
import { openDatabase, openPostgres, type Db, type OpenedDatabase } from '../../src/lib/server/db';
import type { DB } from '../../src/lib/server/db/schema';

export const TEST_DB: 'sqlite' | 'postgres' =
	process.env.VIGIL_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';

export const onPostgres = TEST_DB === 'postgres';

export function adminUrl(): string {
	const url = process.env.VIGIL_TEST_DATABASE_URL;
	if (!url) {
		throw new Error(
			'VIGIL_TEST_DB=postgres needs VIGIL_TEST_DATABASE_URL (a cluster where the tests may create databases); ' +
				'scripts/pg-throwaway.sh start prints one'
		);
	}
	return url;
}

let counter = 0;

/** A new, empty PostgreSQL database on the test cluster; returns its URL. */
export async function createPostgresDatabase(label = 't'): Promise<string> {
	counter += 1;
	const name = `vigil_${label}_${process.pid}_${counter}_${Math.random().toString(36).slice(2, 8)}`;
	const admin = new pg.Client({ connectionString: adminUrl() });
	await admin.connect();
	try {
		await admin.query(`create database "${name}"`);
	} finally {
		await admin.end();
	}
	const url = new URL(adminUrl());
	url.pathname = `/${name}`;
	return url.toString();
}

/** A new empty database of the kind under test (not migrated). */
export async function openTestDatabase(): Promise<OpenedDatabase> {
	if (!onPostgres) return openDatabase(':memory:');
	return openPostgres(await createPostgresDatabase(), 4);
}

/** Runs raw SQL (one or more statements) on the database, as someone with direct access would. */
export async function execRaw(opened: OpenedDatabase, statements: string): Promise<void> {
	if (opened.kind === 'sqlite') opened.sqlite.exec(statements);
	else await opened.pool.query(statements);
}

/** Rows of a raw query. */
export async function queryRaw<T>(opened: OpenedDatabase, text: string): Promise<T[]> {
	if (opened.kind === 'sqlite') return opened.sqlite.prepare(text).all() as T[];
	return (await opened.pool.query(text)).rows as T[];
}

/** Drops a trigger, as an attacker with the database would before editing the trail. */
export function dropTriggerSql(opened: OpenedDatabase, trigger: string, table: string): string {
	return opened.kind === 'sqlite'
		? `DROP TRIGGER IF EXISTS ${trigger};`
		: `DROP TRIGGER IF EXISTS ${trigger} ON ${table};`;
}

/** The same database through a second handle that records every statement it runs. */
export function recordingDb(opened: OpenedDatabase, log: (e: LogEvent) => void): Db {
	return new Kysely<DB>({
		dialect:
			opened.kind === 'sqlite'
				? new SqliteDialect({ database: opened.sqlite })
				: new PostgresDialect({ pool: opened.pool, onReserveConnection: undefined }),
		log
	});
}

/** A statement's placeholder in the dialect under test, for matching logged SQL. */
export const PLACEHOLDER = onPostgres ? String.raw`\$\d+` : String.raw`\?`;

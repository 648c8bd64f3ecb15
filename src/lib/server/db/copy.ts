// Moving a site's SQLite database to the central PostgreSQL server (`vigil db copy`): every table,
// row for row with its ids, in one transaction, then the audit chain verified on arrival.
import type { Transaction } from 'kysely';
import { sql } from 'kysely';
import type { PostgresDatabase, SqliteDatabase } from './index';
import { migrateToLatest } from './migrate';
import { writeTransaction } from './transaction';

type AnyRow = Record<string, unknown>;
type AnyTrx = Transaction<Record<string, AnyRow>>;

/** Rows per INSERT: well under PostgreSQL's 65,535 parameters for the widest table. */
const BATCH = 500;

export interface CopyReport {
	tables: Array<{ table: string; rows: number }>;
}

export class CopyRefused extends Error {}

/** Tables to copy (all but SQLite's and the migrator's own), parents before children. */
export function tablesInOrder(source: SqliteDatabase): string[] {
	const names = (
		source.sqlite
			.prepare(
				`select name from sqlite_master where type = 'table'
				 and name not like 'sqlite_%' and name not like 'kysely_%' order by name`
			)
			.all() as Array<{ name: string }>
	).map((r) => r.name);
	const parents = new Map(
		names.map((n) => {
			const refs = source.sqlite.prepare(`select "table" from pragma_foreign_key_list(?)`).all(n);
			return [n, new Set((refs as Array<{ table: string }>).map((r) => r.table))];
		})
	);
	const ordered: string[] = [];
	const visit = (n: string, path: string[]) => {
		if (ordered.includes(n)) return;
		if (path.includes(n)) throw new CopyRefused(`Foreign keys form a cycle: ${path.join(' → ')}`);
		for (const p of parents.get(n) ?? []) if (p !== n && names.includes(p)) visit(p, [...path, n]);
		ordered.push(n);
	};
	for (const n of names) visit(n, []);
	return ordered;
}

function columnsOf(source: SqliteDatabase, table: string): string[] {
	const rows = source.sqlite
		.prepare(`select name from pragma_table_info(?) order by cid`)
		.all(table);
	return (rows as Array<{ name: string }>).map((r) => r.name);
}

async function targetColumns(trx: AnyTrx, table: string): Promise<string[]> {
	const { rows } = await sql<{ column_name: string }>`select column_name
		from information_schema.columns where table_schema = current_schema() and table_name = ${table}`.execute(
		trx
	);
	return rows.map((r) => r.column_name);
}

/**
 * Rows the target's own migrations wrote (the backfills they left for the app): the copy replaces
 * them with the source's, which say what the source still owes (the source was migrated here).
 */
const MIGRATION_BOOKKEEPING = new Set(['pending_backfill']);

async function refuseUnlessEmpty(trx: AnyTrx, tables: string[]): Promise<void> {
	for (const table of tables) {
		if (MIGRATION_BOOKKEEPING.has(table)) continue;
		const { rows } = await sql<{
			any: number;
		}>`select count(*) as any from ${sql.table(table)}`.execute(trx);
		if (Number(rows[0]?.any) > 0) {
			throw new CopyRefused(
				`The target database already holds data (table ${table}); copy only into a new, empty database.`
			);
		}
	}
}

/** After explicit ids, each identity column continues after the highest one copied. */
async function advanceIdentities(trx: AnyTrx): Promise<void> {
	const { rows } = await sql<{
		table_name: string;
		column_name: string;
	}>`select table_name, column_name
		from information_schema.columns where table_schema = current_schema() and is_identity = 'YES'`.execute(
		trx
	);
	for (const r of rows) {
		const table = sql.table(r.table_name);
		const column = sql.ref(r.column_name);
		await sql`select setval(pg_get_serial_sequence(${`"${r.table_name}"`}, ${r.column_name}),
			coalesce((select max(${column}) from ${table}), 0) + 1, false)`.execute(trx);
	}
}

/**
 * Copies `source` (SQLite, migrated here first) into `target` (PostgreSQL, migrated, empty).
 * `progress` hears a line per table.
 */
export async function copySqliteToPostgres(
	source: SqliteDatabase,
	target: PostgresDatabase,
	progress: (line: string) => void = () => {}
): Promise<CopyReport> {
	await migrateToLatest(source.db);
	await migrateToLatest(target.db);
	const tables = tablesInOrder(source);
	const report: CopyReport = { tables: [] };
	await writeTransaction(target.db, async (typed) => {
		const trx = typed as unknown as AnyTrx;
		await refuseUnlessEmpty(trx, tables);
		for (const table of tables) {
			const columns = columnsOf(source, table);
			const there = new Set(await targetColumns(trx, table));
			const missing = columns.filter((c) => !there.has(c));
			if (missing.length > 0) {
				throw new CopyRefused(`Table ${table} has no column ${missing.join(', ')} on the target.`);
			}
			if (MIGRATION_BOOKKEEPING.has(table)) await trx.deleteFrom(table).execute();
			const rows = source.sqlite
				.prepare(`select ${columns.map((c) => `"${c}"`).join(', ')} from "${table}" order by rowid`)
				.iterate() as IterableIterator<AnyRow>;
			let count = 0;
			let batch: AnyRow[] = [];
			const flush = async () => {
				if (batch.length === 0) return;
				await trx.insertInto(table).values(batch).execute();
				count += batch.length;
				batch = [];
			};
			for (const row of rows) {
				batch.push(row);
				if (batch.length >= BATCH) await flush();
			}
			await flush();
			report.tables.push({ table, rows: count });
			progress(`  ${table}: ${count} rows`);
		}
		await advanceIdentities(trx);
	});
	return report;
}

/** Row counts of both databases, table by table: the copy's first check. */
export async function compareCounts(
	source: SqliteDatabase,
	target: PostgresDatabase
): Promise<string[]> {
	const differences: string[] = [];
	for (const table of tablesInOrder(source)) {
		const here = (
			source.sqlite.prepare(`select count(*) as n from "${table}"`).get() as { n: number }
		).n;
		const { rows } = await sql<{
			n: number;
		}>`select count(*) as n from ${sql.table(table)}`.execute(target.db);
		const there = Number(rows[0]?.n);
		if (here !== there) differences.push(`${table}: ${here} rows here, ${there} there`);
	}
	return differences;
}

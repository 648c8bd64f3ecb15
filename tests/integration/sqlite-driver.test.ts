// The SQLite driver (db/driver.ts) makes row objects itself from each statement's raw values, and
// runs statements compiled once directly on the connection a transaction holds: the rows must be
// exactly what better-sqlite3 makes (names, order, a later duplicate name winning, every type),
// and a statement run directly must belong to its transaction (rolled back with it).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../src/lib/server/db';
import { CachedSqliteConnection, heldSqliteConnection } from '../../src/lib/server/db/driver';
import { migrateToLatest } from '../../src/lib/server/db/migrate';
import { compiledOnce } from '../../src/lib/server/db/prepared';
import { writeTransaction } from '../../src/lib/server/db/transaction';

let opened: SqliteDatabase;
beforeEach(async () => {
	opened = openDatabase(':memory:');
	await migrateToLatest(opened.db);
	opened.sqlite.exec(`
		insert into site (code, name, timezone, country, created_at) values ('A1', 'Site A', 'Europe/Oslo', 'NOR', '2026-12-07T00:00:00Z');
		insert into site (code, name, timezone, country, created_at) values ('B1', 'Site "B"', 'America/New_York', 'USA', '2026-12-07T00:00:00Z');
		create table odd ("__proto__" integer, "constructor" text, "1" integer, "a b" text, blob blob, r real);
		insert into odd values (1, 'c', 2, 'x', x'00ff', 1.5), (3, null, 4, 'y', null, -0.25);
	`);
});
afterEach(async () => {
	await opened.db.destroy();
});

const statements = [
	'select * from site order by id',
	'select * from site where id < 0',
	'select s.*, t.* from site s join site t on t.id != s.id order by s.id',
	'select 1 as a, 2 as a, 3 as "1", 4 as "0", null as b, count(*) from site',
	`select x'0102' as blob, 1.5 as r, 9007199254740993 as big, 'é"\\' as text`,
	'select * from odd order by rowid',
	'select "constructor", "a b", blob, r from odd order by rowid'
];

describe('rows the driver makes', () => {
	it.each(statements)('equal better-sqlite3’s own: %s', (sql) => {
		const own = opened.sqlite.prepare(sql).all();
		const made = new CachedSqliteConnection(opened.sqlite).rows(sql, []);
		expect(made).toEqual(own);
		expect(made.map((r) => Object.keys(r as object))).toEqual(
			own.map((r) => Object.keys(r as object))
		);
		for (const r of made) expect(Object.getPrototypeOf(r)).toBe(Object.prototype);
	});

	it('through Kysely too, a statement run twice giving the same shapes', async () => {
		const q = () => opened.db.selectFrom('site').selectAll().orderBy('id').execute();
		const first = await q();
		expect(await q()).toEqual(first);
		expect(first).toEqual(opened.sqlite.prepare('select * from site order by id').all());
	});
});

describe('statements compiled once, run directly in a transaction', () => {
	const rename = compiledOnce((db, code: string, name: string) =>
		db.updateTable('site').set({ name }).where('code', '=', code)
	);
	const nameOf = compiledOnce((db, code: string) =>
		db.selectFrom('site').select('name').where('code', '=', code)
	);

	it('run on the transaction’s connection: seen inside it, undone by its rollback', async () => {
		await expect(
			writeTransaction(opened.db, async (trx) => {
				expect(heldSqliteConnection(trx)).toBeDefined();
				await rename(trx, 'A1', 'Renamed');
				expect(await nameOf(trx, 'A1')).toEqual([{ name: 'Renamed' }]);
				throw new Error('roll back');
			})
		).rejects.toThrow('roll back');
		expect(await nameOf(opened.db, 'A1')).toEqual([{ name: 'Site A' }]);
		await writeTransaction(opened.db, (trx) => rename(trx, 'A1', 'Kept'));
		expect(await nameOf(opened.db, 'A1')).toEqual([{ name: 'Kept' }]);
	});

	it('not outside a transaction, nor through a handle with plugins', async () => {
		expect(heldSqliteConnection(opened.db)).toBeUndefined();
		let seen = 0;
		await writeTransaction(opened.db, async (trx) => {
			const watched = trx.withPlugin({
				transformQuery: ({ node }) => (seen++, node),
				transformResult: async ({ result }) => result
			});
			expect(heldSqliteConnection(watched)).toBeUndefined();
			expect(await nameOf(watched, 'B1')).toEqual([{ name: 'Site "B"' }]);
		});
		expect(seen).toBe(1);
	});
});

// The migrations build one schema on both databases. Routing the first migrations' triggers
// through migrations/dialect.ts must leave SQLite's schema exactly as it was: sqlite_master after
// those migrations is compared with the fixture taken from the commit before the change.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/lib/server/db';
import { migrateToLatest, migratorFor } from '../../src/lib/server/db/migrate';
import { onPostgres, openTestDatabase, queryRaw } from '../helpers/database';

const FIXTURE = join(__dirname, '../fixtures/schema/sqlite-2026_11_29_2130.json');
const SCHEMA_SQL =
	"select type, name, tbl_name, sql from sqlite_master where name not like 'kysely_%' order by type, name";

describe('the SQLite schema', () => {
	it('is byte for byte what the first five migrations built before the dialect helpers', async () => {
		const { db, sqlite } = openDatabase(':memory:');
		const { error } = await migratorFor(db).migrateTo('2026_11_29_2130_ae_reports');
		expect(error).toBeUndefined();
		const now = sqlite.prepare(SCHEMA_SQL).all();
		expect(now).toEqual(JSON.parse(readFileSync(FIXTURE, 'utf8')));
		await db.destroy();
	});
});

interface Column {
	table_name: string;
	column_name: string;
}

describe.runIf(onPostgres)('the PostgreSQL schema', () => {
	it('has every table and column SQLite has, with 64-bit integers and identity ids', async () => {
		const lite = openDatabase(':memory:');
		await migrateToLatest(lite.db);
		const liteColumns = lite.sqlite
			.prepare(
				`select m.name as table_name, p.name as column_name from sqlite_master m, pragma_table_info(m.name) p
				 where m.type = 'table' and m.name not like 'sqlite_%' order by 1, 2`
			)
			.all() as Column[];
		await lite.db.destroy();

		const pg = await openTestDatabase();
		await migrateToLatest(pg.db);
		const pgColumns = await queryRaw<Column & { data_type: string; is_identity: string }>(
			pg,
			`select table_name, column_name, data_type, is_identity from information_schema.columns
			 where table_schema = 'public' order by 1, 2`
		);
		expect(pgColumns.map((c) => [c.table_name, c.column_name])).toEqual(
			liteColumns.map((c) => [c.table_name, c.column_name])
		);
		const type = (t: string, c: string) =>
			pgColumns.find((x) => x.table_name === t && x.column_name === c);
		expect(type('auth_session', 'created_at')).toMatchObject({ data_type: 'bigint' }); // epoch ms
		expect(type('vital_reading', 'temperature_c')).toMatchObject({
			data_type: 'double precision'
		});
		expect(type('flag', 'id')).toMatchObject({ data_type: 'bigint', is_identity: 'YES' });
		const triggers = await queryRaw<{ trigger_name: string }>(
			pg,
			`select distinct trigger_name from information_schema.triggers order by 1`
		);
		expect(triggers.map((t) => t.trigger_name)).toEqual(
			expect.arrayContaining([
				'audit_event_no_update',
				'audit_event_no_delete',
				'audit_head_no_delete',
				'audit_checkpoint_no_update',
				'audit_checkpoint_no_delete'
			])
		);
		await pg.db.destroy();
	});
});

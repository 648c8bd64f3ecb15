// A query compiled once per database handle (db/prepared.ts) gives what the same builder run
// directly gives, with each call's own values; it refuses an argument that would shape the SQL.
import { describe, expect, it } from 'vitest';
import { compiledOnce } from '../../src/lib/server/db/prepared';
import { writeTransaction } from '../../src/lib/server/db/transaction';
import { type TestDb, freshDbEach } from '../helpers/db';

let t: TestDb;
freshDbEach((db) => (t = db));

describe('compiledOnce', () => {
	it('binds each call’s values, on the database and inside a transaction', async () => {
		const siteByCode = compiledOnce((db, code: string) =>
			db.selectFrom('site').select(['id', 'code', 'timezone']).where('code', '=', code)
		);
		const direct = (code: string) =>
			t.db.selectFrom('site').select(['id', 'code', 'timezone']).where('code', '=', code).execute();
		expect(await siteByCode(t.db, 'A1')).toEqual(await direct('A1'));
		expect(await siteByCode(t.db, 'B1')).toEqual(await direct('B1'));
		expect((await siteByCode(t.db, 'B1'))[0]?.id).toBe(t.siteB);
		expect(await siteByCode(t.db, 'none')).toEqual([]);
		await writeTransaction(t.db, async (trx) => {
			expect((await siteByCode(trx, 'A1'))[0]?.id).toBe(t.siteA);
		});
	});

	it('keeps the builder’s own constants and binds an object’s properties by shape', async () => {
		const rename = compiledOnce((db, id: number, change: { name?: string; country?: string }) =>
			db.updateTable('site').set(change).where('id', '=', id).where('code', '!=', 'ZZ')
		);
		await rename(t.db, t.siteA, { name: 'First' });
		await rename(t.db, t.siteB, { name: 'Second', country: 'CAN' });
		// The same shape again with other values, and a property left undefined (not set).
		await rename(t.db, t.siteA, { name: 'Main', country: undefined });
		const rows = await t.db
			.selectFrom('site')
			.select(['id', 'name', 'country'])
			.orderBy('id')
			.execute();
		expect(rows).toEqual([
			{ id: t.siteA, name: 'Main', country: 'NOR' },
			{ id: t.siteB, name: 'Second', country: 'CAN' }
		]);
	});

	it('runs through a handle’s plugins (they see and may change every query)', async () => {
		const siteIds = compiledOnce((db, code: string) =>
			db.selectFrom('site').select('id').where('code', '=', code)
		);
		expect(await siteIds(t.db, 'A1')).toEqual([{ id: t.siteA }]);
		let seen = 0;
		const watched = t.db.withPlugin({
			transformQuery: ({ node }) => (seen++, node),
			transformResult: async ({ result }) => ({ ...result, rows: [{ id: -1 }] })
		});
		expect(await siteIds(watched, 'A1')).toEqual([{ id: -1 }]);
		expect(seen).toBe(1);
	});

	it('refuses an argument that chooses the SQL rather than a value in it', async () => {
		const shaped = compiledOnce((db, withCountry: boolean) =>
			withCountry
				? db.selectFrom('site').select(['id', 'country'])
				: db.selectFrom('site').select('id')
		);
		await expect(shaped(t.db, false)).rejects.toThrow(/argument 0 is not a value/);
		const listed = compiledOnce((db, codes: string[]) =>
			db.selectFrom('site').select('id').where('code', 'in', codes)
		);
		await expect(listed(t.db, ['A1', 'B1'])).rejects.toThrow(/a list changes the SQL/);
	});
});

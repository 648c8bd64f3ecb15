// The board's notice of a flag change: one `change` inside the transaction, one `committed` once
// it has committed (the change is readable then), none after a transaction that failed.
import { afterEach, describe, expect, it } from 'vitest';
import { writeTransaction } from '../../src/lib/server/db/transaction';
import {
	onFlagChange,
	onFlagCommitted,
	publishFlagChange
} from '../../src/lib/server/services/safety/flag-events';
import { type TestDb, freshDbEach } from '../helpers/db';

let t: TestDb;
const stops: Array<() => void> = [];

freshDbEach((db) => (t = db));
afterEach(() => {
	for (const stop of stops.splice(0)) stop();
});

const siteNamed = (code: string) =>
	t.db.selectFrom('site').select('id').where('code', '=', code).executeTakeFirst();

describe('flag notices and the commit', () => {
	it('tells once per site after the commit, when the change is readable', async () => {
		const seen: string[] = [];
		const reads: Array<Promise<unknown>> = [];
		stops.push(onFlagChange((site) => seen.push(`change ${site}`)));
		stops.push(
			onFlagCommitted((site) => {
				seen.push(`committed ${site}`);
				// Listeners run after the commit: a read sees the change (asked here, checked below).
				reads.push(siteNamed('C9').then((row) => seen.push(row ? 'readable' : 'not readable')));
			})
		);
		await writeTransaction(t.db, async (trx) => {
			await trx
				.insertInto('site')
				.values({
					code: 'C9',
					name: 'Site C',
					timezone: 'UTC',
					country: 'NOR',
					created_at: '2026-11-20T09:00:00.000Z'
				})
				.execute();
			publishFlagChange(t.siteA);
			publishFlagChange(t.siteA);
			publishFlagChange(t.siteB);
			expect(seen.filter((s) => s.startsWith('committed'))).toEqual([]);
		});
		await Promise.all(reads); // the reads the listeners asked for, not a wait on the clock
		expect(seen.filter((s) => s.startsWith('change'))).toHaveLength(3);
		expect(seen.filter((s) => s.startsWith('committed'))).toEqual([
			`committed ${t.siteA}`,
			`committed ${t.siteB}`
		]);
		expect(seen.filter((s) => s.endsWith('readable'))).toEqual(['readable', 'readable']);
	});

	it('tells nobody it committed when the transaction fails', async () => {
		const committed: number[] = [];
		stops.push(onFlagCommitted((site) => committed.push(site)));
		await expect(
			writeTransaction(t.db, () => {
				publishFlagChange(t.siteA);
				return Promise.reject(new Error('refused'));
			})
		).rejects.toThrow('refused');
		expect(committed).toEqual([]);
		// Outside a transaction (the safety clock's escalation, after its own), at once.
		publishFlagChange(t.siteB);
		expect(committed).toEqual([t.siteB]);
	});
});

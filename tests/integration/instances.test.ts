// Several app instances on one PostgreSQL database, each with its own pool: writes through both
// keep one linear audit chain, every instance hears every write (LISTEN/NOTIFY), and one instance
// at a time holds the safety clock's lease. (Two real servers: tests/e2e/instances.test.ts.)
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPostgres, type PostgresDatabase } from '../../src/lib/server/db';
import { clockLease } from '../../src/lib/server/runtime/clock-lease';
import { listenForChanges } from '../../src/lib/server/runtime/change-listener';
import { systemContext } from '../../src/lib/server/runtime/context';
import { verifyAuditChain } from '../../src/lib/server/services/audit/audit';
import { updateSite } from '../../src/lib/server/services/people/sites';
import { onFlagChange } from '../../src/lib/server/services/safety/flag-events';
import { onPostgres } from '../helpers/database';
import { freshDb, type TestDb, freshDbEach } from '../helpers/db';

describe('the safety clock lease on SQLite', () => {
	it('is always held: one process serves the file', async () => {
		const t = await freshDb();
		if (t.opened.kind === 'sqlite') expect(await clockLease(t.opened).acquire()).toBe(true);
		await t.db.destroy();
	});
});

describe.runIf(onPostgres)('two instances on one PostgreSQL database', () => {
	let t: TestDb;
	let second: PostgresDatabase;
	freshDbEach((db) => (t = db));
	beforeEach(() => {
		if (t.opened.kind !== 'postgres') throw new Error('PostgreSQL expected');
		second = openPostgres(t.opened.url, 4);
	});
	afterEach(async () => {
		await second.db.destroy();
	});

	it('keep one linear audit chain under concurrent writes through both', async () => {
		const before = await t.db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow();
		const through = [systemContext(t.db, 'instance-1'), systemContext(second.db, 'instance-2')];
		const writes = Array.from({ length: 24 }, (_, i) =>
			updateSite(through[i % 2]!, i % 4 < 2 ? t.siteA : t.siteB, {
				name: `Site renamed ${i}`,
				timezone: 'Europe/Oslo',
				reason: `rename ${i}`
			})
		);
		const results = await Promise.allSettled(writes);
		expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
		const report = await verifyAuditChain(t.system);
		expect(report).toMatchObject({ ok: true, problem: null });
		expect(report.head?.seq).toBe(before.seq + 24);
		const actors = await t.db
			.selectFrom('audit_event')
			.select('actor_label')
			.distinct()
			.where('seq', '>', before.seq)
			.execute();
		expect(actors.map((a) => a.actor_label).sort()).toEqual(['instance-1', 'instance-2']);
	});

	it('hear a write committed by the other instance, with its site', async () => {
		if (t.opened.kind !== 'postgres') return;
		const stop = listenForChanges(t.opened.url);
		const heard: number[] = [];
		const unsubscribe = onFlagChange((siteId) => heard.push(siteId));
		try {
			await new Promise((r) => setTimeout(r, 300)); // LISTEN is in place
			// A site rename raises no flag: no in-process notice, only the database's.
			await updateSite(systemContext(second.db, 'instance-2'), t.siteB, {
				name: 'Site B renamed',
				timezone: 'America/New_York',
				reason: 'renamed'
			});
			const deadline = Date.now() + 3_000;
			while (!heard.includes(t.siteB) && Date.now() < deadline) {
				await new Promise((r) => setTimeout(r, 20));
			}
			expect(heard).toContain(t.siteB);
			expect(heard).not.toContain(t.siteA);
		} finally {
			unsubscribe();
			await stop();
		}
	});

	it('hold the safety clock lease one at a time, and hand it over when the holder stops', async () => {
		const one = clockLease(t.opened);
		const two = clockLease(second);
		expect(await one.acquire()).toBe(true);
		expect(await two.acquire()).toBe(false);
		expect(await one.acquire()).toBe(true);
		expect(await two.acquire()).toBe(false);
		await one.release();
		expect(await two.acquire()).toBe(true);
		expect(await one.acquire()).toBe(false);
		await two.release();
	});
});

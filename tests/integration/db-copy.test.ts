// Moving a site to the central server: `vigil db copy` puts a SQLite demo study into an empty
// PostgreSQL database with every id and the audit chain, verified on arrival; the copy then works
// as the site's database did. And `vigil backup` on PostgreSQL is a pg_dump.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, openPostgres, type PostgresDatabase } from '../../src/lib/server/db';
import { migrateToLatest } from '../../src/lib/server/db/migrate';
import { signCheckpoint } from '../../src/lib/server/audit/checkpoints';
import { ephemeralSigningKey } from '../../src/lib/server/audit/signing-key';
import { runCli } from '../../src/lib/server/cli/main';
import { generateDemoData } from '../../src/lib/server/demo/generate';
import { seedDemo } from '../../src/lib/server/demo/seed';
import { systemContext } from '../../src/lib/server/runtime/context';
import { verifyAuditChain } from '../../src/lib/server/services/audit/audit';
import { createSite } from '../../src/lib/server/services/people/sites';
import { runPendingBackfills } from '../../src/lib/server/services/dashboards/summaries';
import { createPostgresDatabase, onPostgres } from '../helpers/database';

const TODAY = new Date('2026-11-20T12:00:00Z');

describe.runIf(onPostgres)('vigil db copy', () => {
	let dir: string;
	let file: string;
	let url: string;
	let out: string[];
	let err: string[];
	const io = (target?: PostgresDatabase) => ({
		out: (l: string) => void out.push(l),
		err: (l: string) => void err.push(l),
		readStdin: () => Promise.resolve(''),
		open: () => (target ? Promise.resolve(target) : Promise.reject(new Error('no database')))
	});

	beforeAll(async () => {
		dir = mkdtempSync(join(tmpdir(), 'vigil-copy-'));
		file = join(dir, 'site.db');
		const site = openDatabase(file);
		await migrateToLatest(site.db);
		await seedDemo(site.db, 'a-long-demo-password', new Date('2025-06-01T00:00:00Z'));
		await generateDemoData(site.db, { participants: 3, seed: 5, today: TODAY });
		await signCheckpoint(site.db, ephemeralSigningKey(), TODAY);
		await site.db.destroy();
		url = await createPostgresDatabase('copy');
	}, 120_000);
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	it('copies the demo study with its ids and a chain that verifies on arrival', async () => {
		out = [];
		err = [];
		expect(await runCli(['db', 'copy', '--from', file, '--to', url], io())).toBe(0);
		expect(err).toEqual([]);
		expect(out.join('\n')).toMatch(/Audit trail verified on the copy: \d+ rows/);
		expect(out.join('\n')).toMatch(/1 checkpoints match/);

		const site = openDatabase(file);
		const central = openPostgres(url, 2);
		try {
			for (const table of ['participant', 'vital_reading', 'flag', 'audit_event'] as const) {
				const key = table === 'audit_event' ? 'seq' : 'id';
				const here = site.sqlite.prepare(`select * from ${table} order by ${key}`).all();
				const there = await central.db.selectFrom(table).selectAll().orderBy(key).execute();
				expect(there.length).toBeGreaterThan(0);
				expect(there).toEqual(here);
			}
			// What the source still owed (it was migrated, never started) is owed by the copy, in
			// place of what the target's own migrations wrote; its next start-up fills it.
			const owed = site.sqlite.prepare('select name from pending_backfill order by name').all();
			expect(owed).toEqual([{ name: 'relapse_outcome' }, { name: 'sdv_record_status' }]);
			expect(
				await central.db.selectFrom('pending_backfill').select('name').orderBy('name').execute()
			).toEqual(owed);
			expect((await runPendingBackfills(central.db)).sort()).toEqual([
				'relapse_outcome',
				'sdv_record_status'
			]);
			// The SDV summary the copy rebuilt is the one the source rebuilds for itself.
			await runPendingBackfills(site.db);
			const sdvOf = (db: typeof central.db) =>
				db
					.selectFrom('sdv_record_status')
					.selectAll()
					.orderBy('entity_type')
					.orderBy('entity_id')
					.execute();
			const sdv = await sdvOf(central.db);
			expect(sdv.length).toBeGreaterThan(0);
			expect(sdv).toEqual(await sdvOf(site.db));
			const outcomes = site.sqlite
				.prepare('select * from relapse_outcome order by participant_id')
				.all();
			expect(
				await central.db
					.selectFrom('relapse_outcome')
					.selectAll()
					.orderBy('participant_id')
					.execute()
			).toEqual(outcomes);
			const head = await central.db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
			expect(head).toEqual(site.sqlite.prepare('select * from audit_head').get());

			// The copy works on: new rows take the next ids, the chain goes on from the copied head.
			const before = await central.db
				.selectFrom('site')
				.select((eb) => eb.fn.max('id').as('max'))
				.executeTakeFirstOrThrow();
			const added = await createSite(systemContext(central.db, 'test'), {
				code: 'C9',
				name: 'Central nine',
				timezone: 'UTC'
			});
			expect(added.id).toBe(Number(before.max) + 1);
			const report = await verifyAuditChain(systemContext(central.db, 'test'), { key: null });
			expect(report).toMatchObject({ ok: true, rows: head.seq + 1 });
		} finally {
			await site.db.destroy();
			await central.db.destroy();
		}
	});

	it('refuses a target that already holds data', async () => {
		out = [];
		err = [];
		expect(await runCli(['db', 'copy', '--from', file, '--to', url], io())).toBe(1);
		expect(err.join('\n')).toMatch(/already holds data/);
	});

	it('names what is missing, with usage', async () => {
		out = [];
		err = [];
		expect(await runCli(['db', 'copy', '--from', file], io())).toBe(2);
		expect(err.join('\n')).toMatch(/--to postgres:/);
	});

	it('backs PostgreSQL up with pg_dump, in a file pg_restore reads', async () => {
		out = [];
		err = [];
		const central = openPostgres(url, 2);
		const target = join(dir, 'backups', 'central.dump');
		try {
			expect(await runCli(['backup', target], io(central))).toBe(0);
		} finally {
			await central.db.destroy();
		}
		expect(out.join('\n')).toMatch(/pg_dump custom format/);
		expect(existsSync(target)).toBe(true);
		const list = spawnSync('pg_restore', ['--list', target], { encoding: 'utf8' });
		expect(list.status).toBe(0);
		expect(list.stdout).toMatch(/TABLE DATA public audit_event/);
	});
});

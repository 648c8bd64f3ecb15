// The server's writer commits at synchronous = NORMAL and syncs the WAL itself after COMMIT, off
// the request thread (db/wal.ts): a write must not return before its sync has finished, the next
// writer must not wait for that sync, commits asking while one runs share the next, a failed sync
// fails the write, and the WAL is checkpointed on a read worker's connection instead of in the
// writer's COMMIT. SQLite files only (PostgreSQL syncs in its own server).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../src/lib/server/db';
import { writeTransaction } from '../../src/lib/server/db/transaction';
import {
	DurabilityError,
	WalSync,
	keepCheckpointed,
	type CheckpointResult
} from '../../src/lib/server/db/wal';
import { ReadWorkerPool } from '../../src/lib/server/reads/pool';

/** A sync the test finishes by hand: each call waits until released (or failed). */
function heldSync() {
	const calls: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
	const sync = (path: string) => {
		void path;
		return new Promise<void>((resolve, reject) => calls.push({ resolve, reject }));
	};
	return { sync, calls };
}

/** Lets promise callbacks and timers queued so far run. */
const settle = () => new Promise((r) => setTimeout(r, 5));

function tracked<T>(p: Promise<T>) {
	const state = { done: false, error: undefined as unknown };
	p.then(
		() => (state.done = true),
		(e: unknown) => ((state.done = true), (state.error = e))
	);
	return state;
}

describe('WalSync', () => {
	it('makes one sync for the commits that ask before it starts', async () => {
		const { sync, calls } = heldSync();
		const wal = new WalSync('/x-wal', sync);
		const waits = [wal.flush(), wal.flush(), wal.flush()].map(tracked);
		await settle();
		expect(calls).toHaveLength(1);
		expect(waits.some((w) => w.done)).toBe(false);
		calls[0]!.resolve();
		await settle();
		expect(waits.every((w) => w.done && w.error === undefined)).toBe(true);
		expect(wal.syncs).toBe(1);
	});

	it('makes a commit that asks during a sync wait for the next one, which they share', async () => {
		const { sync, calls } = heldSync();
		const wal = new WalSync('/x-wal', sync);
		const first = tracked(wal.flush());
		await settle();
		// These committed after the running sync may have started: it does not cover them.
		const later = [wal.flush(), wal.flush()].map(tracked);
		await settle();
		expect(calls).toHaveLength(1);
		calls[0]!.resolve();
		await settle();
		expect(first.done).toBe(true);
		expect(later.some((w) => w.done)).toBe(false);
		expect(calls).toHaveLength(2);
		calls[1]!.resolve();
		await settle();
		expect(later.every((w) => w.done && w.error === undefined)).toBe(true);
	});

	it('fails the commits a failed sync was for, and syncs again for the next', async () => {
		const { sync, calls } = heldSync();
		const wal = new WalSync('/x-wal', sync);
		const failed = tracked(wal.flush());
		await settle();
		calls[0]!.reject(new Error('EIO'));
		await settle();
		expect(failed.error).toBeInstanceOf(DurabilityError);
		expect(String((failed.error as Error).message)).toMatch(
			/committed but could not be made durable.*EIO/
		);
		const next = tracked(wal.flush());
		await settle();
		calls[1]!.resolve();
		await settle();
		expect(next).toEqual({ done: true, error: undefined });
	});
});

describe('a writer opened with syncAfterCommit', () => {
	let dir: string;
	let opened: SqliteDatabase;
	let held: ReturnType<typeof heldSync>;

	beforeEach(async () => {
		dir = mkdtempSync(join(tmpdir(), 'vigil-durable-'));
		held = heldSync();
		opened = openDatabase(join(dir, 'vigil.db'), { syncAfterCommit: true, syncFile: held.sync });
		opened.sqlite.exec('create table t (id integer primary key, v text)');
	});
	afterEach(async () => {
		await opened.db.destroy();
		rmSync(dir, { recursive: true, force: true });
	});

	const insert = (v: string) =>
		writeTransaction(opened.db, async (trx) => {
			await trx
				.insertInto('t' as never)
				.values({ v } as never)
				.execute();
			return v;
		});

	it('commits at NORMAL with the automatic checkpoint off', () => {
		expect(opened.sqlite.pragma('synchronous', { simple: true })).toBe(1);
		expect(opened.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
		expect(opened.wal?.path).toBe(join(dir, 'vigil.db-wal'));
	});

	it('returns a write only once its sync has finished', async () => {
		const wal = opened.wal!;
		const write = tracked(insert('a'));
		await settle();
		// Committed (another connection sees it) but not yet answered.
		expect(opened.sqlite.prepare('select count(*) as n from t').get()).toEqual({ n: 1 });
		expect(write.done).toBe(false);
		expect(held.calls).toHaveLength(1);
		held.calls[0]!.resolve();
		await settle();
		expect(write).toEqual({ done: true, error: undefined });
		expect(wal.syncs).toBe(1);
	});

	it('lets the next writer commit while the first waits for the disk', async () => {
		const first = tracked(insert('a'));
		await settle();
		const second = tracked(insert('b'));
		await settle();
		// The second committed too (its row is there) while the first's sync is still out.
		expect(opened.sqlite.prepare('select v from t order by id').all()).toEqual([
			{ v: 'a' },
			{ v: 'b' }
		]);
		expect(first.done || second.done).toBe(false);
		held.calls[0]!.resolve();
		await settle();
		expect(first.done).toBe(true);
		expect(second.done).toBe(false);
		held.calls[1]!.resolve();
		await settle();
		expect(second).toEqual({ done: true, error: undefined });
	});

	it('fails a write whose sync fails, its row committed', async () => {
		const write = tracked(insert('a'));
		await settle();
		held.calls[0]!.reject(new Error('EIO'));
		await settle();
		expect(write.error).toBeInstanceOf(DurabilityError);
		// The writer is free again.
		const next = tracked(insert('b'));
		await settle();
		held.calls[1]!.resolve();
		await settle();
		expect(next.done).toBe(true);
	});

	it('syncs after a write made outside a transaction, not after a read', async () => {
		const write = tracked(sql`insert into t (v) values ('x')`.execute(opened.db));
		await settle();
		expect(write.done).toBe(false);
		held.calls[0]!.resolve();
		await settle();
		expect(write.done).toBe(true);
		const read = tracked(sql`select * from t`.execute(opened.db));
		await settle();
		expect(read.done).toBe(true);
		expect(held.calls).toHaveLength(1);
	});

	it('leaves no sync behind a transaction that rolled back', async () => {
		const failing = writeTransaction(opened.db, async (trx) => {
			await trx
				.insertInto('t' as never)
				.values({ v: 'a' } as never)
				.execute();
			throw new Error('no');
		});
		await expect(failing).rejects.toThrow('no');
		expect(held.calls).toHaveLength(0);
		expect(opened.sqlite.prepare('select count(*) as n from t').get()).toEqual({ n: 0 });
	});
});

describe('the real sync and checkpoints', () => {
	let dir: string;
	let opened: SqliteDatabase;
	let pool: ReadWorkerPool;

	beforeEach(async () => {
		dir = mkdtempSync(join(tmpdir(), 'vigil-durable-'));
		opened = openDatabase(join(dir, 'vigil.db'), { syncAfterCommit: true });
		opened.sqlite.exec('create table t (id integer primary key, v text)');
		pool = new ReadWorkerPool(join(dir, 'vigil.db'), { workers: 1, exportWorkers: 1 });
		// Started before the clock matters (a thread loading TypeScript takes seconds when loaded).
		await pool.checkpoint();
	}, 60_000);
	afterEach(async () => {
		await pool.close();
		await opened.wal?.close();
		await opened.db.destroy();
		rmSync(dir, { recursive: true, force: true });
	});

	it('syncs the WAL file, and a read worker checkpoints it into the database', async () => {
		for (let i = 0; i < 50; i++) {
			await writeTransaction(opened.db, (trx) =>
				trx
					.insertInto('t' as never)
					.values({ v: 'x'.repeat(2000) } as never)
					.execute()
			);
		}
		expect(opened.wal!.syncs).toBe(50);
		const before = statSync(join(dir, 'vigil.db')).size;
		// The writer does not checkpoint by itself: the rows are in the WAL only.
		expect(before).toBeLessThan(50 * 2000);
		const result = await pool.checkpoint();
		expect(result.busy).toBe(false);
		expect(result.log).toBeGreaterThan(0);
		expect(result.checkpointed).toBe(result.log);
		expect(statSync(join(dir, 'vigil.db')).size).toBeGreaterThan(50 * 2000);
		// And the writer starts the WAL over (the next commit writes from its start).
		await writeTransaction(opened.db, (trx) =>
			trx
				.insertInto('t' as never)
				.values({ v: 'y' } as never)
				.execute()
		);
		const again = await pool.checkpoint();
		expect(again.log).toBeLessThan(result.log);
	});

	it('checkpoints after commits, once a tick, and not when nothing was committed', async () => {
		const runs: CheckpointResult[] = [];
		const keeper = keepCheckpointed(
			opened.wal!,
			async () => {
				const r = await pool.checkpoint();
				runs.push(r);
				return r;
			},
			20
		);
		try {
			await new Promise((r) => setTimeout(r, 80));
			expect(runs).toHaveLength(0);
			await writeTransaction(opened.db, (trx) =>
				trx
					.insertInto('t' as never)
					.values({ v: 'a' } as never)
					.execute()
			);
			await expect.poll(() => runs.length, { timeout: 30_000 }).toBe(1);
			await new Promise((r) => setTimeout(r, 80));
			expect(runs).toHaveLength(1);
			expect(runs[0]!.checkpointed).toBe(runs[0]!.log);
		} finally {
			keeper.stop();
		}
	}, 60_000);
});

// The server's WAL stays bounded under continuous writes (db/sqlite.ts checkpointOn): a passive
// checkpoint alone never caught up with commits that kept coming while it ran, so the WAL never
// started over and its file grew by every commit (295 MB in the bench's two-minute mixed load). A
// reader holding a snapshot may keep it growing while it reads; once readers let go, the WAL
// starts over and its file is cut. SQLite files only (PostgreSQL keeps its own
// write-ahead log).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../src/lib/server/db';
import { writeTransaction } from '../../src/lib/server/db/transaction';
import { keepCheckpointed, walPathOf, type CheckpointResult } from '../../src/lib/server/db/wal';
import { ReadWorkerPool } from '../../src/lib/server/reads/pool';
import { onPostgres } from '../helpers/database';

/** Small, so the test writes a few MB (the server starts the WAL over past 16 MB). */
const RESTART_ABOVE = 256 * 1024;
/**
 * What the file stays under. Above RESTART_ABOVE: four writers hold the write lock most of the
 * time and the WAL is cut only in a gap between them (up to 2.9 MB seen on a loaded machine).
 */
const LIMIT = 16 * RESTART_ABOVE;

describe.skipIf(onPostgres)('the WAL under continuous writes', () => {
	let dir: string;
	let file: string;
	let opened: SqliteDatabase;
	let pool: ReadWorkerPool;
	let reader: SQLite.Database;

	beforeEach(async () => {
		dir = mkdtempSync(join(tmpdir(), 'vigil-wal-'));
		file = join(dir, 'vigil.db');
		opened = openDatabase(file, { syncAfterCommit: true });
		opened.sqlite.exec('create table t (id integer primary key, v blob)');
		pool = new ReadWorkerPool(file, { workers: 1, exportWorkers: 1 });
		// Started before the clock matters (a thread loading TypeScript takes seconds when loaded).
		await pool.checkpoint();
		reader = new SQLite(file, { readonly: true });
	}, 60_000);
	afterEach(async () => {
		reader.close();
		await pool.close();
		await opened.wal?.close();
		await opened.db.destroy();
		rmSync(dir, { recursive: true, force: true });
	});

	const walSize = () => statSync(walPathOf(file)).size;
	const write = () =>
		writeTransaction(opened.db, (trx) =>
			trx
				.insertInto('t' as never)
				.values({ v: Buffer.alloc(6000, 7) } as never)
				.execute()
		);
	/** A reader's snapshot, held until `release`. */
	const holdSnapshot = () => {
		reader.exec('begin');
		reader.prepare('select count(*) from t').get();
		return () => reader.exec('commit');
	};
	/** `writers` loops writing one row after another until `until` says stop. */
	const writeUntil = async (until: () => boolean, onWrite: (n: number) => void = () => {}) => {
		let n = 0;
		await Promise.all(
			Array.from({ length: 4 }, async () => {
				while (!until()) {
					await write();
					onWrite(++n);
				}
			})
		);
		return n;
	};

	it('starts over once readers let go, its file cut back', async () => {
		const restarts: CheckpointResult[] = [];
		const checkpoints = keepCheckpointed(
			opened.wal!,
			async () => {
				const r = await pool.checkpoint(RESTART_ABOVE);
				if (r.restarted) restarts.push(r);
				return r;
			},
			25
		);
		try {
			// A reader holds one snapshot: the WAL cannot start over and grows past the limit.
			const release = holdSnapshot();
			await writeUntil(() => walSize() > 2 * LIMIT);
			await new Promise((r) => setTimeout(r, 200));
			expect(restarts).toHaveLength(0);
			expect(walSize()).toBeGreaterThan(2 * LIMIT);
			// Once it lets go, the WAL is cut without waiting for another write.
			release();
			await new Promise((r) => setTimeout(r, 500));
			expect(restarts).toHaveLength(1);
			expect(walSize()).toBe(0);

			// Writes never stop; a reader takes short snapshots now and then.
			let held: (() => void) | undefined;
			const started = Date.now();
			await writeUntil(
				() => Date.now() - started > 2500,
				(n) => {
					if (n % 40 === 0) held = holdSnapshot();
					else if (held && n % 40 === 5) {
						held();
						held = undefined;
					}
				}
			);
			held?.();
			expect(restarts.length).toBeGreaterThan(0);
			// Still writing, readers gone: the file stays small.
			const sizes: number[] = [];
			const again = Date.now();
			await writeUntil(
				() => Date.now() - again > 1000,
				() => void sizes.push(walSize())
			);
			expect(Math.max(...sizes.slice(-20))).toBeLessThanOrEqual(LIMIT);
			expect(walSize()).toBeLessThanOrEqual(LIMIT);
		} finally {
			checkpoints.stop();
			// One may still be running: let it end before the workers do.
			await new Promise((r) => setTimeout(r, 200));
		}
	}, 60_000);
});

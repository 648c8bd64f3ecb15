// Heavy reads on PostgreSQL: the same jobs (reads/jobs.ts) on a pool of read-only connections of
// their own, asynchronous already, so no worker thread is needed and the writers' pool is never
// taken up by an export. Each job runs in one read-only REPEATABLE READ transaction: every file of
// a bundle, every page of an export sees one snapshot, as on a read worker's SQLite connection,
// and writers are never held up by it.
import { openPostgres, type Db, type Executor, type PostgresDatabase } from '../db';
import { chunksOf } from '../export/bundle';
import { coalesce, pullStream, type ReadExecutor } from './executor';
import { STREAM_JOBS, VALUE_JOBS, type ValueJobResult } from './jobs';

function snapshot(db: Db) {
	return db.startTransaction().setIsolationLevel('repeatable read').setAccessMode('read only');
}

/**
 * Heavy reads beside `writer`, on `connections` read-only connections to the same database; an
 * export's chunks of `chunkBytes` (READ_CHUNK_BYTES unless given).
 */
export function postgresReads(
	writer: PostgresDatabase,
	connections = 4,
	chunkBytes?: number
): ReadExecutor {
	const { db } = openPostgres(writer.url, connections, { readOnly: true });
	return {
		db,
		stream(job, args) {
			const run = STREAM_JOBS[job] as (
				db: Executor,
				a: typeof args
			) => Parameters<typeof chunksOf>[0];
			async function* chunks(): AsyncGenerator<Uint8Array> {
				const trx = await snapshot(db).execute();
				try {
					yield* coalesce(chunksOf(run(trx, args)), chunkBytes);
					await trx.commit().execute();
				} finally {
					if (!trx.isCommitted && !trx.isRolledBack) await trx.rollback().execute();
				}
			}
			return pullStream(chunks());
		},
		async value(job, args) {
			const run = VALUE_JOBS[job] as (
				db: Executor,
				a: typeof args
			) => Promise<ValueJobResult<typeof job>>;
			const trx = await snapshot(db).execute();
			try {
				const result = await run(trx, args);
				await trx.commit().execute();
				return result;
			} finally {
				if (!trx.isCommitted && !trx.isRolledBack) await trx.rollback().execute();
			}
		},
		async close() {
			await db.destroy();
		}
	};
}

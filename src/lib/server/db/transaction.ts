import type { Db, Trx } from './index';

/**
 * A write transaction (BEGIN IMMEDIATE, see db/index.ts). Do slow work (password hashing, network)
 * before calling this: the write lock is held until `work` returns.
 */
export function writeTransaction<T>(db: Db, work: (trx: Trx) => Promise<T>): Promise<T> {
	return db.transaction().execute(work);
}

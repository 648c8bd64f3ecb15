import { AsyncLocalStorage } from 'node:async_hooks';
import type { Db, Trx } from './index';

/** What the running write transaction does once it has committed (keyed, so each runs once). */
const committed = new AsyncLocalStorage<Map<string, () => void>>();

/**
 * A write transaction (BEGIN IMMEDIATE, see db/index.ts). Do slow work (password hashing, network)
 * before calling this: the write lock is held until `work` returns.
 */
export async function writeTransaction<T>(db: Db, work: (trx: Trx) => Promise<T>): Promise<T> {
	const after = new Map<string, () => void>();
	const result = await committed.run(after, () => db.transaction().execute(work));
	for (const run of after.values()) {
		try {
			run();
		} catch (e) {
			// The change is committed; a listener's failure is its own.
			console.error('[vigil] after commit:', e);
		}
	}
	return result;
}

/**
 * Runs `run` once the write transaction it was asked in has committed (at once outside one); a
 * transaction that fails drops it. The same `key` asked again in one transaction runs once.
 */
export function afterCommit(key: string, run: () => void): void {
	const after = committed.getStore();
	if (after) after.set(key, run);
	else run();
}

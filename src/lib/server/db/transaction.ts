import { AsyncLocalStorage } from 'node:async_hooks';
import type { Db, Executor, Trx } from './index';

/** What the running write transaction keeps until it ends. */
interface WriteScope {
	/** The handle's adapter: a transaction of this handle shares it. */
	handle: object;
	/** Run once the work is done, inside the transaction, before COMMIT (keyed, so each runs once). */
	before: Map<string, () => Promise<void>>;
	/** Run once the transaction has committed (keyed, so each runs once). */
	after: Map<string, () => void>;
	/** State the writes keep for the rest of the transaction (the audit trail's head). */
	state: Map<string, unknown>;
}

const scopes = new AsyncLocalStorage<WriteScope>();

/**
 * A write transaction (BEGIN IMMEDIATE, see db/index.ts). Do slow work (password hashing, network)
 * before calling this: the write lock is held until `work` returns.
 */
export async function writeTransaction<T>(db: Db, work: (trx: Trx) => Promise<T>): Promise<T> {
	const scope: WriteScope = {
		handle: db.getExecutor().adapter,
		before: new Map(),
		after: new Map(),
		state: new Map()
	};
	const result = await scopes.run(scope, () =>
		db.transaction().execute(async (trx) => {
			const out = await work(trx);
			for (const run of scope.before.values()) await run();
			return out;
		})
	);
	for (const run of scope.after.values()) {
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
 * The write transaction `trx` is, when it is one opened by writeTransaction in this call chain
 * (null otherwise: a plain handle, or a transaction opened some other way): `beforeCommit` runs
 * its step once, inside the transaction, after the work and before COMMIT; `state` lives as long
 * as the transaction. A failed transaction drops both.
 */
export function writeScopeOf(trx: Executor): {
	state: Map<string, unknown>;
	beforeCommit: (key: string, run: () => Promise<void>) => void;
} | null {
	const scope = scopes.getStore();
	if (!scope || !trx.isTransaction || trx.getExecutor().adapter !== scope.handle) return null;
	return {
		state: scope.state,
		beforeCommit: (key, run) => {
			if (!scope.before.has(key)) scope.before.set(key, run);
		}
	};
}

/**
 * Runs `run` once the write transaction it was asked in has committed (at once outside one); a
 * transaction that fails drops it. The same `key` asked again in one transaction runs once.
 */
export function afterCommit(key: string, run: () => void): void {
	const after = scopes.getStore()?.after;
	if (after) after.set(key, run);
	else run();
}

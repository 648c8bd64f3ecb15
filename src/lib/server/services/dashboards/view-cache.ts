// A dashboard's view computed once per state of the data: ten people opening /cohort at once, or
// one person reloading it, get the view one read job made, until the next write. Correct because
// every change a view can show commits with an entry of the audit trail in the same transaction
// (the tables a view reads are held to the trail by `audit verify`, or are summaries kept inside
// those writes: audit/table-coverage.ts), and writes are one at a time on both databases (SQLite's
// write lock; on PostgreSQL an advisory lock every write transaction takes), so the chain head's
// sequence number (audit_head.seq) names the state of the data: a view made after the head read
// `seq` shows every change up to it, and any later change moves the head past it.
//
// The head is read before the job starts, so the job's snapshot (taken after) holds at least
// every change up to it: a view is served for a request only while the head still reads the same,
// and a job in flight is shared only by requests that read the same head (a save, then a view,
// never gets a view made before the save). The key must name everything else a view depends on:
// what the viewer may see (role and sites) and the filters. Views are kept per place they are read
// from (the context's read executor, else its database handle): a test's databases, or its read
// workers and its in-process reads, never share one.
import { auditHead } from '../../repositories/audit';
import type { ServiceContext } from '../../runtime/context';

/** Views kept per read executor, the least recently used dropped first. */
export const MAX_VIEWS = 32;

interface Held {
	/** The chain head's sequence number read before the view's job started. */
	since: number;
	value: Promise<unknown>;
}

type Source = Pick<ServiceContext, 'db' | 'reads'>;
const byHandle = new WeakMap<object, Map<string, Held>>();
const handleOf = (ctx: Source): object => ctx.reads ?? ctx.db;

/** How many views were made (jobs started) for this context's reads: for tests. */
const made = new WeakMap<object, number>();
export const viewsMade = (ctx: Source): number => made.get(handleOf(ctx)) ?? 0;

/**
 * The view named `key` as of the data now: the one held when no write has committed since it
 * was asked for (or the job still making it), else a new one from `compute`.
 */
export async function viewAsOfTrail<T>(
	ctx: Source,
	key: string,
	compute: () => Promise<T>
): Promise<T> {
	const since = (await auditHead(ctx.db))?.seq ?? 0;
	const handle = handleOf(ctx);
	let views = byHandle.get(handle);
	if (!views) byHandle.set(handle, (views = new Map()));
	const held = views.get(key);
	views.delete(key);
	if (held && held.since === since) {
		views.set(key, held); // the most recently used last
		return held.value as Promise<T>;
	}
	made.set(handle, viewsMade(ctx) + 1);
	const value = compute();
	const entry: Held = { since, value };
	views.set(key, entry);
	if (views.size > MAX_VIEWS) views.delete(views.keys().next().value!);
	// A failed view (not found, a worker's error) is not kept: the next request asks again.
	value.catch(() => {
		if (views.get(key) === entry) views.delete(key);
	});
	return value;
}

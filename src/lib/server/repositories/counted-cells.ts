// The second-level summaries a write adds to instead of recomputing (session_peak_cell,
// session_breach_cell, ae_site_key, cohort_cell's participant rows): each row is a cell of counts
// under its key, and a write moves a few cells by what the participant's rows gave before it and
// give after it.
import type { Insertable, Kysely } from 'kysely';
import type { Executor } from '../db';
import type { DB } from '../db/schema';

/** Any table, for the one statement shape every counted summary shares. */
type Loose = Kysely<Record<string, Record<string, string | number | null>>>;

/**
 * Adds these changes to the table's counters (one upsert on its key), then removes the cells
 * they left with nothing in `countedBy`, so the table holds what a recomputation holds.
 */
export async function addToCells<T extends keyof DB & string>(
	db: Executor,
	table: T,
	shape: {
		key: readonly (keyof DB[T] & string)[];
		counters: readonly (keyof DB[T] & string)[];
		countedBy: keyof DB[T] & string;
	},
	deltas: readonly Insertable<DB[T]>[]
): Promise<void> {
	if (deltas.length === 0) return;
	const loose = db as unknown as Loose;
	const name: string = table;
	const key: readonly string[] = shape.key;
	const counters: readonly string[] = shape.counters;
	const cells = deltas as unknown as Record<string, string | number>[];
	await loose
		.insertInto(name)
		.values([...cells])
		.onConflict((oc) =>
			oc
				.columns([...key])
				.doUpdateSet((eb) =>
					Object.fromEntries(
						counters.map((c) => [c, eb(`${name}.${c}`, '+', eb.ref(`excluded.${c}`))])
					)
				)
		)
		.execute();
	await loose
		.deleteFrom(name)
		.where(shape.countedBy as string, '<=', 0)
		.where((eb) => eb.or(cells.map((d) => eb.and(key.map((k) => eb(k, '=', d[k]!))))))
		.execute();
}

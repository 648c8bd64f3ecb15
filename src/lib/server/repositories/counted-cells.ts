// The second-level summaries a write adds to instead of recomputing (session_peak_cell,
// session_breach_cell, ae_site_key, cohort_cell's participant rows): each row is a cell of counts
// under its key, and a write moves a few cells by what the participant's rows gave before it and
// give after it.
import type { Insertable, Kysely } from 'kysely';
import type { Executor } from '../db';
import { compiledOnce } from '../db/prepared';
import type { DB } from '../db/schema';

/** Any table, for the one statement shape every counted summary shares. */
type Loose = Kysely<Record<string, Record<string, string | number | null>>>;

type Cell = Record<string, string | number>;

interface CellsShape {
	key: readonly string[];
	counters: readonly string[];
	countedBy: string;
}

/** The upsert and the clean-up for `n` cells of a table, each compiled once (prepared.ts). */
type CellStatements = readonly [
	(db: Executor, ...cells: Cell[]) => Promise<unknown[]>,
	(db: Executor, ...cells: Cell[]) => Promise<unknown[]>
];

const upsert = (db: Executor, table: string, { key, counters }: CellsShape, cells: Cell[]) =>
	(db as unknown as Loose)
		.insertInto(table)
		.values(cells)
		.onConflict((oc) =>
			oc
				.columns([...key])
				.doUpdateSet((eb) =>
					Object.fromEntries(
						counters.map((c) => [c, eb(`${table}.${c}`, '+', eb.ref(`excluded.${c}`))])
					)
				)
		);

const clean = (db: Executor, table: string, { key, countedBy }: CellsShape, cells: Cell[]) =>
	(db as unknown as Loose)
		.deleteFrom(table)
		.where(countedBy, '<=', 0)
		.where((eb) => eb.or(cells.map((d) => eb.and(key.map((k) => eb(k, '=', d[k]!))))));

/**
 * Up to this many cells, the statements are compiled once per table and number of cells: a save
 * moves a few (a session's first reading about five), and building their trees each time cost
 * more than running them. More (an SDV rebuild's thousands) are built each time, as few writes
 * move that many and each count kept would stay prepared.
 */
const COMPILED_CELLS = 16;

/** By table and number of cells. */
const statements = new Map<string, CellStatements>();

function statementsFor(table: string, shape: CellsShape, n: number): CellStatements {
	const id = `${table}:${n}`;
	let found = statements.get(id);
	if (!found) {
		found = [
			compiledOnce((db: Executor, ...cells: Cell[]) => upsert(db, table, shape, cells)),
			compiledOnce((db: Executor, ...cells: Cell[]) => clean(db, table, shape, cells))
		];
		statements.set(id, found);
	}
	return found;
}

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
	const cells = deltas as unknown as Cell[];
	if (cells.length > COMPILED_CELLS) {
		await upsert(db, table, shape, cells).execute();
		await clean(db, table, shape, cells).execute();
		return;
	}
	const [add, remove] = statementsFor(table, shape, cells.length);
	await add(db, ...cells);
	await remove(db, ...cells);
}

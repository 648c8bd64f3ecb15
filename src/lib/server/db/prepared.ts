// Queries built and compiled once per database handle, then run with each call's values. Kysely
// builds an immutable tree and compiles it to SQL on every call; on the write path that was about
// a fifth of a save's CPU for the same dozen statements each time. The SQL is the dialect's own
// (each handle has its adapter), so nothing here is shared between databases but the builder.
import { createQueryId, type Compilable, type CompiledQuery } from 'kysely';
import type { Executor } from './index';
import { heldSqliteConnection } from './driver';

/** Stands for argument `arg` (its property `key`, for an object) while the query compiles. */
class Slot {
	constructor(
		readonly arg: number,
		readonly key: string | null
	) {}
}

interface Prepared {
	compiled: CompiledQuery;
	/** Per parameter: where its value comes from at each run, or null for a constant of the query. */
	from: Array<Slot | null>;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
	typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;

const definedKeys = (o: Record<string, unknown>) =>
	Object.keys(o).filter((k) => o[k] !== undefined);

/**
 * Which properties each object argument has (those left undefined are dropped, as Kysely drops
 * them): that changes the SQL (an insert's columns), so each shape compiles once.
 */
function shapeOf(args: readonly unknown[]): string {
	let shape = '';
	for (let arg = 0; arg < args.length; arg++) {
		const value = args[arg];
		if (isPlainObject(value)) shape += `${arg}:${definedKeys(value).join(',')}|`;
		else if (Array.isArray(value)) throw new Error('compiledOnce: a list changes the SQL');
	}
	return shape;
}

/** The arguments as the builder sees them while compiling: each value, or property, a slot. */
const standIns = (args: readonly unknown[]) =>
	args.map((value, arg) =>
		isPlainObject(value)
			? Object.fromEntries(definedKeys(value).map((k) => [k, new Slot(arg, k)]))
			: new Slot(arg, null)
	);

function prepare(built: Compilable<unknown>, arity: number): Prepared {
	const compiled = built.compile();
	const from = compiled.parameters.map((p) => (p instanceof Slot ? p : null));
	const used = new Set(from.filter((s) => s !== null).map((s) => s.arg));
	for (let arg = 0; arg < arity; arg++) {
		// An argument that did not become a parameter went into the SQL's shape, or unused.
		if (!used.has(arg)) throw new Error(`compiledOnce: argument ${arg} is not a value`);
	}
	return { compiled, from };
}

/**
 * `build` run once per database handle (and per object shape) with stand-ins for its arguments;
 * each call binds its own values in their places (a handle with plugins compiles every call). `build` may use an argument only as a value
 * (compared, inserted, set): never to choose the query's shape; it is checked at first compile.
 */
export function compiledOnce<A extends unknown[], R>(
	build: (db: Executor, ...args: A) => Compilable<R>
): (db: Executor, ...args: A) => Promise<R[]> {
	const byHandle = new WeakMap<object, Map<string, Prepared>>();
	return async (db, ...args) => {
		const executor = db.getExecutor();
		// A handle with plugins (tests watching queries) changes each query as it compiles.
		if (executor.plugins.length > 0) return (await db.executeQuery(build(db, ...args))).rows;
		const adapter = executor.adapter;
		let shapes = byHandle.get(adapter);
		if (!shapes) byHandle.set(adapter, (shapes = new Map()));
		const shape = shapeOf(args);
		let prepared = shapes.get(shape);
		if (!prepared) {
			prepared = prepare(build(db, ...(standIns(args) as A)), args.length);
			shapes.set(shape, prepared);
		}
		const constants = prepared.compiled.parameters;
		const parameters = prepared.from.map((slot, i) => {
			if (!slot) return constants[i];
			const value = args[slot.arg];
			return slot.key === null ? value : (value as Record<string, unknown>)[slot.key];
		});
		// Inside a SQLite transaction the statement runs on the connection it holds, at once.
		const held = heldSqliteConnection(db);
		if (held) return held.rows<R>(prepared.compiled.sql, parameters);
		const result = await db.executeQuery<R>({
			...(prepared.compiled as CompiledQuery<R>),
			parameters,
			queryId: createQueryId()
		});
		return result.rows;
	};
}

// The one place where the migrations meet the database's dialect, so that the same migrations
// build the same schema on SQLite and on PostgreSQL (never a copy of a migration per dialect).
// Migrations write SQLite's portable types ('integer', 'real', 'text', 'blob') and
// `.autoIncrement()`; on PostgreSQL `portableSchemaPlugin` turns them into bigint, double
// precision, bytea and identity columns, and the helpers below write what has no portable form.
// Frozen like the migrations: change only by adding.
import {
	ColumnDefinitionNode,
	DataTypeNode,
	GeneratedNode,
	OperationNodeTransformer,
	PostgresAdapter,
	sql,
	type ColumnDataType,
	type KyselyPlugin,
	type Kysely,
	type PluginTransformQueryArgs,
	type PluginTransformResultArgs,
	type QueryResult,
	type RootOperationNode,
	type UnknownRow
} from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations use no app types
type AnyDb = Kysely<any>;

export function isPostgres(db: AnyDb): boolean {
	return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * SQLite's integers are 64-bit and its reals double precision; PostgreSQL's 'integer' and 'real'
 * are 32-bit, which cannot hold epoch milliseconds or keep a temperature's decimals.
 */
const POSTGRES_TYPES: Partial<Record<string, ColumnDataType>> = {
	integer: 'bigint',
	real: 'double precision',
	blob: 'bytea'
};

class PortableSchemaTransformer extends OperationNodeTransformer {
	protected override transformColumnDefinition(node: ColumnDefinitionNode): ColumnDefinitionNode {
		const column = super.transformColumnDefinition(node);
		const type = DataTypeNode.is(column.dataType)
			? POSTGRES_TYPES[column.dataType.dataType]
			: undefined;
		if (!type && !column.autoIncrement) return column;
		return Object.freeze({
			...column,
			...(type ? { dataType: DataTypeNode.create(type) } : {}),
			// Identity "by default" still takes explicit ids, so `db copy` keeps every id.
			...(column.autoIncrement
				? {
						autoIncrement: false,
						generated: GeneratedNode.create({ byDefault: true, identity: true })
					}
				: {})
		});
	}
}

/** Applied by the migrator on PostgreSQL only; SQLite sees the migrations exactly as written. */
export const portableSchemaPlugin: KyselyPlugin = {
	transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
		return new PortableSchemaTransformer().transformNode(args.node);
	},
	transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
		return Promise.resolve(args.result);
	}
};

export interface RefuseChange {
	trigger: string;
	operation: 'UPDATE' | 'DELETE';
	table: string;
	message: string;
}

/**
 * A trigger that refuses every UPDATE or DELETE of a table's rows (append-only tables). On SQLite
 * the statement is the one the first migrations wrote by hand, byte for byte (the schema test
 * compares); on PostgreSQL a row trigger calling `vigil_refuse_change`, and a DELETE guard also
 * refuses TRUNCATE, which skips row triggers there.
 */
export async function refuseChange(db: AnyDb, r: RefuseChange): Promise<void> {
	if (!isPostgres(db)) {
		await sql
			.raw(
				`CREATE TRIGGER ${r.trigger} BEFORE ${r.operation} ON ${r.table}\n\t\tBEGIN SELECT RAISE(ABORT, '${r.message}'); END`
			)
			.execute(db);
		return;
	}
	await sql`CREATE OR REPLACE FUNCTION vigil_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation'; END $$`.execute(db);
	const message = sql.lit(r.message);
	await sql`CREATE TRIGGER ${sql.id(r.trigger)} BEFORE ${sql.raw(r.operation)} ON ${sql.table(r.table)}
		FOR EACH ROW EXECUTE FUNCTION vigil_refuse_change(${message})`.execute(db);
	if (r.operation === 'DELETE') {
		await sql`CREATE TRIGGER ${sql.id(`${r.trigger}_truncate`)} BEFORE TRUNCATE ON ${sql.table(r.table)}
			FOR EACH STATEMENT EXECUTE FUNCTION vigil_refuse_change(${message})`.execute(db);
	}
}

export interface NotifyOnInsert {
	trigger: string;
	table: string;
	/** The LISTEN channel. */
	channel: string;
	/** The column whose value (as text, '' for null) is the notice's payload. */
	payloadColumn: string;
}

/**
 * PostgreSQL only: each inserted row sends a notice on `channel` when its transaction commits
 * (several instances of the app learn of each other's writes). SQLite has no notices: one process
 * serves it, and other writers (the CLI) are found by polling.
 */
export async function notifyOnInsert(db: AnyDb, n: NotifyOnInsert): Promise<void> {
	if (!isPostgres(db)) return;
	const fn = sql.id(`${n.trigger}_fn`);
	await sql`CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS ${sql.lit(
		`BEGIN PERFORM pg_notify('${n.channel}', coalesce(NEW.${n.payloadColumn}::text, '')); RETURN NULL; END`
	)}`.execute(db);
	await sql`CREATE TRIGGER ${sql.id(n.trigger)} AFTER INSERT ON ${sql.table(n.table)}
		FOR EACH ROW EXECUTE FUNCTION ${fn}()`.execute(db);
}

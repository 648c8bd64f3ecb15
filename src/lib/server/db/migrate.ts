import { Migrator, type MigrationResult } from 'kysely';
import { migrations } from '../../../../migrations/index';
import { portableSchemaPlugin } from '../../../../migrations/dialect';
import { dialectOf, type Db } from './index';

export interface MigrateOutcome {
	applied: string[];
}

/** The migrator, seeing PostgreSQL's column types where the migrations write SQLite's. */
export function migratorFor(db: Db): Migrator {
	return new Migrator({
		db: dialectOf(db) === 'postgres' ? db.withPlugin(portableSchemaPlugin) : db,
		provider: { getMigrations: () => Promise.resolve(migrations) },
		// Branches name migrations by issue (2026_12_06_NNMM), so one landing later may sort
		// before one a database already has.
		allowUnorderedMigrations: true
	});
}

/** Runs every pending migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Db): Promise<MigrateOutcome> {
	const { error, results } = await migratorFor(db).migrateToLatest();
	const applied = (results ?? [])
		.filter((r: MigrationResult) => r.status === 'Success')
		.map((r) => r.migrationName);
	if (error) {
		const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
		throw new Error(`Migration ${failed} failed: ${String(error)}`, { cause: error });
	}
	return { applied };
}

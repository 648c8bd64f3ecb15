// `npm run bench -- --from FILE`: measure a copy of a trial built earlier (by the bench with
// --keep, or by scripts/bench/dashboard-cost.ts --file) instead of building one, so the trial
// tier's measures can be taken again without its build. The copy, not the file, is measured and
// migrated; the demo users get this run's password (a bench fixture's, hashed as a site's would be).
import { copyFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { hashPassword } from '../../src/lib/server/auth/password';
import { openDatabase } from '../../src/lib/server/db';
import { migrateToLatest } from '../../src/lib/server/db/migrate';
import { runPendingBackfills } from '../../src/lib/server/services/dashboards/summaries';
import type { BuildReport } from './build-trial';
import { TABLES } from './trial-chain';

/** What the build report counts: the copied clinical tables and the audit trail. */
const COUNTED = [...TABLES, 'audit_event'] as const;

export async function reuseTrial(
	from: string,
	file: string,
	password: string,
	log: (line: string) => void
): Promise<BuildReport & { reusedFrom: string }> {
	const key = join(dirname(from), 'signing.key');
	if (!existsSync(from)) throw new Error(`--from: no trial at ${from}`);
	if (!existsSync(key)) throw new Error(`--from: no signing.key beside ${from}`);
	log(`  copying the trial at ${from}…`);
	const source = openDatabase(from);
	// Folds the source's write-ahead log into it first, so the copy is whole.
	source.sqlite.pragma('wal_checkpoint(TRUNCATE)');
	await source.db.destroy();
	copyFileSync(from, file);
	copyFileSync(key, join(dirname(file), 'signing.key'));
	const { db, sqlite } = openDatabase(file);
	try {
		// A trial built before this checkout's migrations gets them now, as a site's database would.
		await migrateToLatest(db);
		await runPendingBackfills(db);
		const hash = await hashPassword(password);
		sqlite
			.prepare(`update "user" set password_hash = ? where email like '%@demo.vigil.test'`)
			.run(hash);
		const rows = {} as Record<(typeof COUNTED)[number], number>;
		for (const table of COUNTED) {
			rows[table] = (sqlite.prepare(`select count(*) n from ${table}`).get() as { n: number }).n;
		}
		return { reusedFrom: from, seconds: { templates: 0, copies: 0 }, rows };
	} finally {
		await db.destroy();
	}
}

// `npm run bench -- --from FILE`: measure a copy of a trial built earlier (by the bench with
// --keep, or by scripts/bench/dashboard-cost.ts --file) instead of building one, so the trial
// tier's measures can be taken again without its build. The copy, not the file, is measured and
// migrated; the demo users get this run's password (a bench fixture's, hashed as a site's would be).
import { copyFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { openDatabase } from '../../src/lib/server/db';
import { migrateToLatest } from '../../src/lib/server/db/migrate';
import type { Db } from '../../src/lib/server/db';
import { systemContext, type UserActor } from '../../src/lib/server/runtime/context';
import { changeOwnPassword } from '../../src/lib/server/services/people/auth';
import { resetPassword } from '../../src/lib/server/services/people/users';
import { runPendingBackfills } from '../../src/lib/server/services/dashboards/summaries';
import { isRole } from '../../src/lib/roles';
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
		await setDemoPasswords(db, password);
		const rows = {} as Record<(typeof COUNTED)[number], number>;
		for (const table of COUNTED) {
			rows[table] = (sqlite.prepare(`select count(*) n from ${table}`).get() as { n: number }).n;
		}
		return { reusedFrom: from, seconds: { templates: 0, copies: 0 }, rows };
	} finally {
		await db.destroy();
	}
}

/**
 * Gives the demo users this run's password the way a site would, through the audited services (an
 * administrator's reset, then the user's own change), not by writing the column: verify holds
 * every user row to its latest audited version, and a hash written past the trail fails it.
 */
export async function setDemoPasswords(db: Db, password: string): Promise<void> {
	const operator = systemContext(db, 'bench');
	const demo = await db
		.selectFrom('user')
		.select(['id', 'email', 'name', 'role'])
		.where('email', 'like', '%@demo.vigil.test')
		.where('disabled_at', 'is', null)
		.execute();
	for (const u of demo) {
		if (!isRole(u.role)) continue;
		const once = await resetPassword(operator, u.id, { reason: "The bench run's password" });
		const sites = await db
			.selectFrom('user_site')
			.select('site_id')
			.where('user_id', '=', u.id)
			.execute();
		const actor: UserActor = {
			kind: 'user',
			...u,
			role: u.role,
			siteIds: sites.map((s) => s.site_id)
		};
		await changeOwnPassword(
			{ db, actor, requestId: null, now: () => new Date() },
			{ currentPassword: once, newPassword: password, confirmPassword: password }
		);
	}
}

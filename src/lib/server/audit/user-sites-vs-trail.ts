// Who may see which site: each user's user_site rows against the sites their entries state
// (user.create names them by code, or by id from 2026-12-09; user.update by id when changed). A
// site added to someone in SQL is an escalation of access, reported with the user.
import type { Executor } from '../db';
import type { DataMismatch } from './data-vs-trail';

const sorted = (ids: Iterable<number>) => [...ids].sort((a, b) => a - b);

export async function userSitesAgainstTrail(
	db: Executor,
	expected: Map<number, number[]>
): Promise<DataMismatch[]> {
	const rows = await db.selectFrom('user_site').select(['user_id', 'site_id']).execute();
	const stored = new Map<number, number[]>();
	for (const r of rows) {
		const user = Number(r.user_id);
		stored.set(user, [...(stored.get(user) ?? []), Number(r.site_id)]);
	}
	const found: DataMismatch[] = [];
	for (const user of new Set([...stored.keys(), ...expected.keys()])) {
		const trail = expected.has(user) ? sorted(expected.get(user)!) : null;
		const data = sorted(stored.get(user) ?? []);
		if (trail !== null && JSON.stringify(trail) === JSON.stringify(data)) continue;
		if (trail === null && data.length === 0) continue;
		found.push({
			table: 'user_site',
			id: String(user),
			field: 'site_id',
			trail,
			data,
			message: `user_site of user ${user} gives sites ${JSON.stringify(data)} but the audit trail says ${JSON.stringify(trail ?? [])}`
		});
	}
	return found;
}

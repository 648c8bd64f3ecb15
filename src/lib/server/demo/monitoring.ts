// The demo's monitor has been at work: a few data queries (open, answered, closed) and source
// data verification of the older dosing sessions, through the same services (and audit trail) a
// monitor and the site staff use, so the monitoring screens show something real.
import type { Db } from '../db';
import { isRole, type Role } from '../../roles';
import type { ServiceContext, UserActor } from '../runtime/context';
import { queryStep, raiseQuery } from '../services/monitoring/queries';
import { verifySource } from '../services/monitoring/sdv';

async function userOf(db: Db, role: Role, siteId?: number): Promise<UserActor | null> {
	let q = db
		.selectFrom('user')
		.innerJoin('user_site', 'user_site.user_id', 'user.id')
		.select(['user.id', 'user.email', 'user.name', 'user.role'])
		.where('user.role', '=', role)
		.where('user.disabled_at', 'is', null)
		.orderBy('user.id');
	if (siteId !== undefined) q = q.where('user_site.site_id', '=', siteId);
	const u = await q.executeTakeFirst();
	if (!u || !isRole(u.role)) return null;
	const sites = await db
		.selectFrom('user_site')
		.select('site_id')
		.where('user_id', '=', u.id)
		.execute();
	return { kind: 'user', ...u, role: u.role, siteIds: sites.map((s) => s.site_id) };
}

const as = (db: Db, actor: UserActor, at: Date): ServiceContext => ({
	db,
	actor,
	requestId: null,
	now: () => at
});

/** Raises three queries (one closed, one answered, one open) and verifies half the sessions. */
export async function seedDemoMonitoring(db: Db, today: Date): Promise<void> {
	const monitor = await userOf(db, 'monitor');
	if (!monitor) return;
	const events = await db
		.selectFrom('adverse_event')
		.select(['id', 'site_id'])
		.where('entered_in_error_at', 'is', null)
		.where('site_id', 'in', monitor.siteIds)
		.orderBy('onset_at')
		.limit(3)
		.execute();
	const daysAgo = (d: number) => new Date(today.getTime() - d * 86_400_000);
	const questions = [
		{ field: 'onset_at', text: 'Onset time differs from the nursing notes; please check.' },
		{ field: 'severity', text: 'Source grades this higher; please confirm the severity.' },
		{ field: 'outcome', text: 'Outcome not documented in the source; please confirm.' }
	];
	for (const [i, ae] of events.entries()) {
		const q = questions[i]!;
		const raised = await raiseQuery(as(db, monitor, daysAgo(12 - i * 4)), {
			entityType: 'adverse_event',
			entityId: ae.id,
			...q
		});
		if (i === 2) continue;
		const staff = await userOf(db, 'coordinator', ae.site_id);
		if (!staff) continue;
		await queryStep(as(db, staff, daysAgo(10 - i * 4)), raised.id, 'answer', {
			text: 'Checked against the source: the entry is correct.'
		});
		if (i === 0) await queryStep(as(db, monitor, daysAgo(9)), raised.id, 'close', {});
	}
	const sessions = await db
		.selectFrom('dosing_session')
		.select('id')
		.where('entered_in_error_at', 'is', null)
		.where('ended_at', 'is not', null)
		.where('site_id', 'in', monitor.siteIds)
		.orderBy('t0')
		.execute();
	for (const s of sessions.slice(0, Math.floor(sessions.length / 2))) {
		await verifySource(as(db, monitor, daysAgo(7)), {
			entityType: 'dosing_session',
			entityId: s.id,
			source: 'dosing log'
		});
	}
}

// The demo's investigators have kept up with the past: every flag raised more than two days before
// "today" was seen, acted on and closed 20–40 minutes after it was raised, through the same
// services (and so the same audit trail) an investigator uses. Recent flags stay open, so the
// safety board shows what a live site would.
import type { Db } from '../db';
import type { ServiceContext, UserActor } from '../runtime/context';
import { closeFlag, recordFlagAction } from '../services/safety/flags';
import { isRole } from '../../roles';
import { recordSponsorReport } from '../services/safety/adverse-event-reports';

const KEEP_OPEN_MS = 2 * 86_400_000;

const ACTIONS: Record<string, { category: string; text: string; outcome: string }> = {
	notify: {
		category: 'recheck',
		text: 'Rechecked after 15 minutes.',
		outcome: 'Settled on recheck; no further action.'
	},
	action: {
		category: 'physician-called',
		text: 'Study physician informed; rechecked every 15 minutes.',
		outcome: 'Reviewed by the study physician; settled without treatment.'
	},
	urgent: {
		category: 'physician-called',
		text: 'Study physician at the bedside; site procedure followed.',
		outcome: 'Resolved under physician care; see the adverse-event record if one was raised.'
	}
};

async function investigatorsBySite(db: Db): Promise<Map<number, UserActor>> {
	const rows = await db
		.selectFrom('user')
		.innerJoin('user_site', 'user_site.user_id', 'user.id')
		.select(['user.id', 'user.email', 'user.name', 'user.role', 'user_site.site_id'])
		.where('user.role', '=', 'investigator')
		.where('user.disabled_at', 'is', null)
		.orderBy('user.id')
		.execute();
	const out = new Map<number, UserActor>();
	for (const r of rows) {
		if (out.has(r.site_id) || !isRole(r.role)) continue;
		const sites = rows.filter((x) => x.id === r.id).map((x) => x.site_id);
		out.set(r.site_id, {
			kind: 'user',
			id: r.id,
			email: r.email,
			name: r.name,
			role: r.role,
			siteIds: sites
		});
	}
	return out;
}

/** Closes the demo's past flags as its investigators would have; returns how many. */
export async function reviewPastDemoFlags(db: Db, today: Date): Promise<number> {
	const investigators = await investigatorsBySite(db);
	const before = new Date(today.getTime() - KEEP_OPEN_MS).toISOString();
	const flags = await db
		.selectFrom('flag')
		.select(['id', 'site_id', 'level', 'raised_at'])
		.where('status', '!=', 'closed')
		.where('raised_at', '<', before)
		.orderBy('raised_at')
		.execute();
	let closed = 0;
	for (const f of flags) {
		const actor = investigators.get(f.site_id);
		const steps = ACTIONS[f.level];
		if (!actor || !steps) continue;
		const raised = Date.parse(f.raised_at);
		const at = (minutes: number): ServiceContext => ({
			db,
			actor,
			requestId: null,
			now: () => new Date(raised + minutes * 60_000)
		});
		await recordFlagAction(at(20), f.id, { category: steps.category, text: steps.text });
		await closeFlag(at(40), f.id, { outcome: steps.outcome });
		closed += 1;
	}
	return closed;
}

/**
 * The demo's serious events were reported on time: the SAE report 6–20 hours after the site became
 * aware, the SUSAR report (where there is one) 3 days after. Only events whose report would be
 * due before "today" are reported, so a fresh SAE still shows its running clock.
 */
export async function reportPastSeriousEvents(db: Db, today: Date): Promise<number> {
	const investigators = await investigatorsBySite(db);
	const events = await db
		.selectFrom('adverse_event')
		.select(['id', 'site_id', 'aware_at'])
		.where('serious', '=', 1)
		.where('entered_in_error_at', 'is', null)
		.where('sae_reported_at', 'is', null)
		.orderBy('id')
		.execute();
	let reported = 0;
	for (const e of events) {
		const actor = investigators.get(e.site_id);
		const aware = Date.parse(e.aware_at);
		if (!actor || aware + 24 * 3_600_000 > today.getTime()) continue;
		const sent = new Date(aware + (6 + (e.id % 15)) * 3_600_000);
		const ctx: ServiceContext = {
			db,
			actor,
			requestId: null,
			now: () => new Date(sent.getTime() + 60_000)
		};
		const view = await recordSponsorReport(ctx, e.id, {
			kind: 'sae',
			reportedAt: sent.toISOString()
		});
		const susarSent = new Date(aware + 3 * 86_400_000);
		if (view.susarClock && susarSent.getTime() < today.getTime()) {
			const later: ServiceContext = { ...ctx, now: () => new Date(susarSent.getTime() + 60_000) };
			await recordSponsorReport(later, e.id, {
				kind: 'susar',
				reportedAt: susarSent.toISOString()
			});
		}
		reported += 1;
	}
	return reported;
}

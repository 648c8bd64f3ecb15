// Safety alerts by e-mail to each site's on-call roster: urgent flags, escalations, and SAE clocks
// nearing their due time. Run by the server after every flag change and with the safety clock;
// each event is announced once (a failed send is audited and tried again on the next run).
import { writeTransaction } from '../../db/transaction';
import type { ServiceContext } from '../../runtime/context';
import * as repo from '../../repositories/alerts';
import { listOpenSaeClocks } from '../capture/adverse-events';
import { sendAlert, type Mailer } from './mailer';

export interface AlertSettings {
	/** Public address of this Vigil, for links (ORIGIN). */
	origin: string;
	/** Announce an SAE clock this many hours before it is due (VIGIL_ALERT_SAE_HOURS). */
	saeHoursBefore: number;
}

/** Urgent flags older than this are not announced when e-mail is first switched on. */
const LOOKBACK_MS = 24 * 3_600_000;

interface Announcement {
	kind: string;
	entityType: 'flag' | 'adverse_event';
	entityId: number;
	siteId: number;
	subject: string;
	lines: string[];
}

/** Sends one announcement to whoever is on call at its site now; true when it is done with. */
async function announce(ctx: ServiceContext, mailer: Mailer, a: Announcement): Promise<boolean> {
	const at = ctx.now().toISOString();
	const to = await repo.onCallAt(ctx.db, a.siteId, at);
	if (to.length === 0) return false;
	const result = await sendAlert(ctx, mailer, {
		kind: a.kind,
		to,
		subject: a.subject,
		text: a.lines.join('\n') + '\n',
		siteId: a.siteId,
		entityType: a.entityType,
		entityId: a.entityId
	});
	if (result !== 'sent') return false;
	await writeTransaction(ctx.db, (trx) =>
		repo.recordSent(trx, {
			kind: a.kind,
			entity_type: a.entityType,
			entity_id: a.entityId,
			site_id: a.siteId,
			recipients: to.join(', '),
			sent_at: at
		})
	);
	return true;
}

/** Only the subject code, the level, the rule and a link: nothing else about the participant. */
function flagAnnouncement(
	kind: 'flag.urgent' | 'flag.escalated',
	f: repo.FlagToAlert,
	origin: string
): Announcement {
	const what = kind === 'flag.urgent' ? `${f.level.toUpperCase()} flag` : 'ESCALATED flag';
	return {
		kind,
		entityType: 'flag',
		entityId: f.id,
		siteId: f.site_id,
		subject: `[Vigil] ${what}: ${f.subject_code}`,
		lines: [
			`Subject: ${f.subject_code}`,
			`Level: ${f.level}${kind === 'flag.escalated' ? ' (escalated: not acknowledged in time)' : ''}`,
			`Rule: ${f.rule_id}`,
			`Link: ${origin}/review#flag-${f.id}`
		]
	};
}

/** Sends every alert due now; returns how many were sent. */
export async function dispatchSafetyAlerts(
	ctx: ServiceContext,
	mailer: Mailer | null,
	settings: AlertSettings
): Promise<number> {
	if (!mailer) return 0;
	const since = new Date(ctx.now().getTime() - LOOKBACK_MS).toISOString();
	const due: Announcement[] = [];
	for (const kind of ['flag.urgent', 'flag.escalated'] as const) {
		for (const f of await repo.flagsToAlert(ctx.db, kind, since)) {
			due.push(flagAnnouncement(kind, f, settings.origin));
		}
	}
	const soon = settings.saeHoursBefore * 3_600_000;
	for (const c of await listOpenSaeClocks(ctx)) {
		if (c.remainingMs > soon) continue;
		if (await repo.alreadySent(ctx.db, 'sae.due', 'adverse_event', c.adverseEventId)) continue;
		due.push({
			kind: 'sae.due',
			entityType: 'adverse_event',
			entityId: c.adverseEventId,
			siteId: c.siteId,
			subject: `[Vigil] SAE report ${c.overdue ? 'OVERDUE' : 'due soon'}: ${c.subjectCode}`,
			lines: [
				`Subject: ${c.subjectCode}`,
				`Level: SAE report ${c.overdue ? 'overdue' : 'due'} at ${c.dueAt}`,
				'Rule: serious adverse event reporting clock',
				`Link: ${settings.origin}/adverse-events/${c.adverseEventId}`
			]
		});
	}
	let sent = 0;
	for (const a of due) if (await announce(ctx, mailer, a)) sent += 1;
	return sent;
}

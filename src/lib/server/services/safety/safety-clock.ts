// What time alone changes: a scheduled reading becomes late, an urgent flag waits too long for
// acknowledgement. Run every 30 seconds by the server, and on demand by tests with their own clock.
import { AUDIT_ACTIONS } from '../../audit/actions';
import { appendAudit } from '../../audit/log';
import type { ServiceContext } from '../../runtime/context';
import { writeTransaction } from '../../db/transaction';
import * as flagsRepo from '../../repositories/flags';
import { publishFlagChange } from './flag-events';
import { evaluateSession } from './safety-evaluation';
import { keepSummaries } from '../dashboards/summaries';
import { activeProtocol } from '../protocol/studies';

/** Sessions still running, or ended in the last day (late readings matter only then). */
async function liveSessionIds(ctx: ServiceContext): Promise<number[]> {
	const since = new Date(ctx.now().getTime() - 24 * 3_600_000).toISOString();
	const rows = await ctx.db
		.selectFrom('dosing_session')
		.select('id')
		.where('entered_in_error_at', 'is', null)
		.where('t0', '>=', since)
		.execute();
	return rows.map((r) => r.id);
}

async function escalate(ctx: ServiceContext): Promise<number> {
	const studies = await ctx.db.selectFrom('study').select('id').execute();
	let escalated = 0;
	for (const study of studies) {
		const { protocol } = await activeProtocol(ctx.db, study.id).catch(() => ({ protocol: null }));
		const rule = protocol?.safetyRules.escalation;
		if (!rule?.enabled) continue;
		const before = new Date(ctx.now().getTime() - rule.afterMinutes * 60_000).toISOString();
		const due = (
			await flagsRepo.unacknowledgedSince(ctx.db, rule.unacknowledgedLevel, before)
		).filter((f) => f.study_id === study.id);
		for (const f of due) {
			await writeTransaction(ctx.db, async (trx) => {
				const at = ctx.now().toISOString();
				await flagsRepo.updateFlag(trx, f.id, { escalated_at: at, changed_at: at });
				await appendAudit(trx, ctx, {
					action: AUDIT_ACTIONS.flagEscalated,
					entityType: 'flag',
					entityId: f.id,
					siteId: f.site_id,
					newValues: { escalated: true, unacknowledgedMinutes: rule.afterMinutes }
				});
			});
			publishFlagChange(f.site_id);
			escalated += 1;
		}
	}
	return escalated;
}

export async function runSafetyClock(
	ctx: ServiceContext
): Promise<{ sessions: number; escalated: number }> {
	const ids = await liveSessionIds(ctx);
	for (const id of ids) {
		await writeTransaction(ctx.db, async (trx) => {
			const { raised, closed } = await evaluateSession(trx, ctx, id, 'time passed');
			// Time alone changes no reading (the peaks stay); a breach moves only with a flag.
			await keepSummaries(trx, {
				kind: 'session-readings',
				sessionId: id,
				moved: { peaks: false, breaches: raised.length > 0 || closed.length > 0 }
			});
		});
	}
	return { sessions: ids.length, escalated: await escalate(ctx) };
}

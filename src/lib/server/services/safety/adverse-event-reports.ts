// Recording that the SAE report went to the sponsor, or the SUSAR report to the regulators: the
// reporting clock stops at that time (a late report stays marked late).
import { z } from 'zod';
import { siteDateTime } from '../../../schemas/datetime';
import { AUDIT_ACTIONS } from '../../audit/actions';
import { appendAudit } from '../../audit/log';
import { requireRole } from '../../auth/access';
import type { ServiceContext } from '../../runtime/context';
import { writeTransaction } from '../../db/transaction';
import { ConflictError, NotFoundError, ValidationError } from '../../runtime/errors';
import * as repo from '../../repositories/adverse-events';
import { parseInput } from '../../runtime/validate';
import { actorUserId, assertClinicalRead } from '../people/clinical-access';
import { getAdverseEvent } from '../capture/adverse-events';
import type { AdverseEventView } from '../capture/adverse-event-mapping';
import { isInFuture } from '../../../domain/time';

const reportInput = (timeZone: string) =>
	z.object({
		kind: z.enum(['sae', 'susar'], { error: 'Choose which report was sent.' }),
		reportedAt: siteDateTime(timeZone, 'when the report was sent')
	});

export async function recordSponsorReport(
	ctx: ServiceContext,
	id: number,
	input: unknown
): Promise<AdverseEventView> {
	const before = await getAdverseEvent(ctx, id);
	assertClinicalRead(ctx.actor, before.siteId, 'Adverse event');
	requireRole(ctx.actor, 'coordinator', 'investigator');
	const v = parseInput(reportInput(before.timeZone), input);
	const clock = v.kind === 'sae' ? before.saeClock : before.susarClock;
	if (!clock) {
		throw new ValidationError({ kind: [`This event has no ${v.kind.toUpperCase()} report due.`] });
	}
	if (clock.reportedAt) throw new ConflictError('This report is recorded already.');
	if (v.reportedAt.getTime() < Date.parse(before.awareAt)) {
		throw new ValidationError({
			reportedAt: ['A report cannot be sent before the site was aware.']
		});
	}
	if (isInFuture(v.reportedAt, ctx.now())) {
		throw new ValidationError({ reportedAt: ['This time is in the future.'] });
	}
	const at = v.reportedAt.toISOString();
	await writeTransaction(ctx.db, async (trx) => {
		const row = await repo.findAdverseEvent(trx, id);
		if (!row) throw new NotFoundError('Adverse event');
		await trx
			.updateTable('adverse_event')
			.set(
				v.kind === 'sae'
					? { sae_reported_at: at, sae_reported_by: actorUserId(ctx.actor) }
					: { susar_reported_at: at, susar_reported_by: actorUserId(ctx.actor) }
			)
			.where('id', '=', id)
			.execute();
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.adverseEventReported,
			entityType: 'adverse_event',
			entityId: id,
			siteId: row.site_id,
			newValues: { report: v.kind, reportedAt: at, dueAt: clock.dueAt, late: at > clock.dueAt }
		});
	});
	return getAdverseEvent(ctx, id);
}

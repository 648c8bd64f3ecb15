import { z } from 'zod';
// Visits: recording that a visit took place or was missed, rescheduling what follows, and the
// overdue list.
import { scheduleVisits } from '../../../domain/protocol';
import { visitRecordInput } from '../../../schemas/participant';
import { AUDIT_ACTIONS } from '../../audit/actions';
import { appendAudit } from '../../audit/log';
import { camelKeys } from '../../audit/payloads';
import type { ServiceContext } from '../../runtime/context';
import type { Trx } from '../../db';
import type { Participant, Visit } from '../../db/schema';
import { writeTransaction } from '../../db/transaction';
import { NotFoundError } from '../../runtime/errors';
import * as sitesRepo from '../../repositories/sites';
import * as repo from '../../repositories/visits';
import { parseInput } from '../../runtime/validate';
import { assertClinicalRead } from '../people/clinical-access';
import { changeOf, requireReasonFor } from './corrections';
import { updatedStamp } from './stamps';
import { getParticipant, participantForWrite } from './participants';
import { siteDate } from '../../../domain/time';
import { activeProtocol } from '../protocol/studies';
import { confirmVisitDeviations, visitDeviationsFor } from '../protocol/deviations';
import { endOfSiteDay, requireValidConsent } from '../trial/consent';

export async function listVisits(ctx: ServiceContext, participantId: number): Promise<Visit[]> {
	await getParticipant(ctx, participantId);
	return repo.listVisitsOfParticipant(ctx.db, participantId);
}

/** After an actual date is known, later visits that are still open move with their anchors. */
export async function reschedule(trx: Trx, ctx: ServiceContext, p: Participant): Promise<void> {
	if (!p.enrolled_on) return;
	const { protocol } = await activeProtocol(trx, p.study_id);
	const visits = await repo.listVisitsOfParticipant(trx, p.id);
	const actual = Object.fromEntries(
		visits
			.filter((v) => v.actual_on && protocol.visits.some((pv) => pv.code === v.visit_code))
			.map((v) => [v.visit_code, v.actual_on])
	);
	const plan = scheduleVisits(protocol, p.enrolled_on, actual);
	const moved: Array<{ code: string; from: string | null; to: string }> = [];
	for (const v of visits) {
		const next = plan.find((s) => s.code === v.visit_code);
		if (!next || v.status !== 'scheduled' || next.planned === v.planned_on) continue;
		await repo.updateVisit(trx, v.id, {
			planned_on: next.planned,
			window_start: next.windowStart,
			window_end: next.windowEnd
		});
		moved.push({ code: v.visit_code, from: v.planned_on, to: next.planned });
	}
	if (moved.length > 0) {
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.visitRescheduled,
			entityType: 'participant',
			entityId: p.id,
			siteId: p.site_id,
			newValues: { moved }
		});
	}
}

/** Records a visit as done (with its date) or missed (with a reason). */
export async function recordVisit(
	ctx: ServiceContext,
	visitId: number,
	input: unknown
): Promise<Visit> {
	return writeTransaction(ctx.db, async (trx) => {
		const visit = await repo.findVisit(trx, visitId);
		if (!visit) throw new NotFoundError('Visit');
		const p = await participantForWrite(ctx, trx, visit.participant_id);
		const v = parseInput(visitRecordInput, input);
		const next =
			v.status === 'completed'
				? { status: 'completed' as const, actual_on: v.actualOn, missed_reason: null }
				: { status: 'missed' as const, actual_on: null, missed_reason: v.missedReason };
		const before = {
			status: visit.status === 'scheduled' ? null : visit.status,
			actual_on: visit.actual_on,
			missed_reason: visit.missed_reason
		};
		const change = changeOf(before, next);
		if (!change) return visit;
		const reason = requireReasonFor(change, v.reason);
		// A visit done outside its window or before an earlier one: confirm, and a deviation is kept.
		const found =
			next.status === 'completed' && next.actual_on !== visit.actual_on
				? await visitDeviationsFor(trx, visit, next.actual_on!)
				: [];
		await confirmVisitDeviations(
			trx,
			ctx,
			found,
			{ visit, occurredAt: next.actual_on! },
			'deviationReason' in v ? v.deviationReason : undefined
		);
		if (v.status === 'completed' && visit.status !== 'completed') {
			await requireValidConsent(trx, ctx, p, {
				what: `visit ${visit.visit_code}`,
				at: await endOfSiteDay(trx, p.site_id, v.actualOn),
				visitId
			});
		}
		await repo.updateVisit(trx, visitId, {
			...next,
			...updatedStamp(ctx)
		});
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.visitRecorded,
			entityType: 'visit',
			entityId: visitId,
			siteId: visit.site_id,
			oldValues: { ...camelKeys(change.oldValues), status: visit.status },
			newValues: camelKeys(change.newValues),
			reason
		});
		await reschedule(trx, ctx, p);
		return { ...visit, ...next, version: visit.version + 1 };
	});
}

export interface OverdueVisit {
	visitId: number;
	participantId: number;
	subjectCode: string;
	siteId: number;
	visitCode: string;
	label: string;
	plannedOn: string | null;
	windowEnd: string | null;
}

export interface OverdueVisitsPage {
	visits: OverdueVisit[];
	/** Every overdue visit at the site, not only this page's. */
	total: number;
	/** The cursor of the next page, or null on the last. */
	next: string | null;
}

export const OVERDUE_PAGE_SIZE = 50;
const overdueCursor = z
	.string()
	.regex(/^\d{4}-\d{2}-\d{2}~\d{1,12}$/, 'This is not a page of overdue visits.')
	.transform((c) => {
		const [windowEnd, id] = c.split('~') as [string, string];
		return { windowEnd, id: Number(id) };
	});

/**
 * One site's open visits whose window closed before today there, a page at a time (oldest window
 * first, `after` the cursor a previous page returned), with how many there are in all.
 */
/** A page link's cursor of overdue visits, read (a field error when spoilt), or null for the first. */
export function overduePageAfter(after: string | null | undefined) {
	return after ? parseInput(z.object({ after: overdueCursor }), { after }).after : null;
}

export async function overdueVisitsPage(
	ctx: ServiceContext,
	siteId: number,
	opts: { after?: string | null; limit?: number } = {}
): Promise<OverdueVisitsPage> {
	const site = await sitesRepo.findSiteById(ctx.db, siteId);
	if (!site) throw new NotFoundError('Site');
	assertClinicalRead(ctx.actor, site.id, 'Site');
	const after = overduePageAfter(opts.after);
	const limit = opts.limit ?? OVERDUE_PAGE_SIZE;
	const filter = { siteIds: [site.id], today: siteDate(ctx.now(), site.timezone) };
	const [rows, total] = await Promise.all([
		repo.overdueVisitsPage(ctx.db, filter, { after, limit: limit + 1 }),
		repo.countOverdueVisits(ctx.db, filter)
	]);
	const shown = rows.slice(0, limit);
	const last = shown.at(-1);
	return {
		visits: shown.map(overdueVisitOf),
		total,
		next: rows.length > limit && last ? `${last.window_end}~${last.id}` : null
	};
}

const overdueVisitOf = (r: repo.OverdueVisitRow): OverdueVisit => ({
	visitId: r.id,
	participantId: r.participant_id,
	subjectCode: r.subject_code,
	siteId: r.site_id,
	visitCode: r.visit_code,
	label: r.label,
	plannedOn: r.planned_on,
	windowEnd: r.window_end
});

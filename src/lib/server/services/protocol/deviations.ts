// Protocol deviations (DOMAIN-2.md §7): found by rule inside another service's write, or recorded
// by a person; listed per participant and site, reviewed and signed by investigators, exported
// as SDTM DV. Every change is audited in its transaction.
import {
	DEVIATION_CATEGORIES,
	importantByDefault,
	visitDeviations,
	type DetectedDeviation,
	type DeviationCategory,
	type ScheduledVisitState
} from '../../../domain/deviations';
import { deviationInput, deviationReviewInput } from '../../../schemas/deviation';
import { AUDIT_ACTIONS } from '../../audit/actions';
import { appendAudit } from '../../audit/log';
import { camelKeys } from '../../audit/payloads';
import { requireRole } from '../../auth/access';
import type { Trx } from '../../db';
import type { ProtocolDeviation, Visit } from '../../db/schema';
import { writeTransaction } from '../../db/transaction';
import * as participantsRepo from '../../repositories/participants';
import * as repo from '../../repositories/protocol-deviations';
import * as sitesRepo from '../../repositories/sites';
import * as visitsRepo from '../../repositories/visits';
import type { ServiceContext } from '../../runtime/context';
import { ConflictError, NotFoundError } from '../../runtime/errors';
import { parseInput } from '../../runtime/validate';
import { changeOf, strikeRecord, requireReason, requireReasonFor } from '../capture/corrections';
import { createdStamp, updatedStamp } from '../capture/stamps';
import { assertClinicalRead, clinicalReadScope } from '../people/clinical-access';
import { voidSignatures } from '../signatures/signatures';

export { DEVIATION_CATEGORIES, type DeviationCategory };

/** What another service passes to record a deviation inside its own transaction. */
export interface NewDeviation {
	participantId: number;
	category: DeviationCategory;
	description: string;
	/** When it happened (DVSTDTC): an instant, or a 'YYYY-MM-DD' visit day. */
	occurredAt: Date | string;
	/** ICH E3 important; left out, the category's default (DOMAIN-2.md §7). */
	important?: boolean;
	/** The rule that found it (DEVIATION_RULES); left out, a person recorded it. */
	ruleId?: string;
	/** The record that caused it, e.g. { type: 'visit', id } or { type: 'conmed', id }. */
	source?: { type: string; id: number };
	visitId?: number;
	dosingSessionId?: number;
	/** Why it was done anyway, as the person confirming said. */
	reason?: string;
}

/** A rule's finding as a NewDeviation. */
export function fromDetected(
	d: DetectedDeviation,
	rest: Omit<NewDeviation, 'category' | 'description' | 'important' | 'ruleId'>
): NewDeviation {
	return {
		...rest,
		category: d.category,
		description: d.description,
		important: d.important,
		ruleId: d.ruleId
	};
}

/**
 * Records a deviation inside the caller's write transaction, with its audit entry. No access
 * check: the calling service has made its own (writing the record that caused the deviation).
 */
export async function recordDeviation(
	trx: Trx,
	ctx: ServiceContext,
	d: NewDeviation
): Promise<ProtocolDeviation> {
	const p = await participantsRepo.findParticipant(trx, d.participantId);
	if (!p) throw new NotFoundError('Participant');
	const row = await repo.insertDeviation(trx, {
		study_id: p.study_id,
		participant_id: p.id,
		site_id: p.site_id,
		visit_id: d.visitId ?? null,
		dosing_session_id: d.dosingSessionId ?? null,
		category: d.category,
		description: d.description,
		important: (d.important ?? importantByDefault(d.category)) ? 1 : 0,
		source: d.ruleId ? 'rule' : 'manual',
		rule_id: d.ruleId ?? null,
		source_type: d.source?.type ?? null,
		source_id: d.source?.id ?? null,
		occurred_at: typeof d.occurredAt === 'string' ? d.occurredAt : d.occurredAt.toISOString(),
		reason: d.reason ?? null,
		...createdStamp(ctx)
	});
	await appendAudit(trx, ctx, {
		action: AUDIT_ACTIONS.deviationRecorded,
		entityType: 'protocol_deviation',
		entityId: row.id,
		siteId: row.site_id,
		newValues: {
			participant: p.subject_code,
			category: row.category,
			description: row.description,
			important: row.important === 1,
			occurredAt: row.occurred_at,
			ruleId: row.rule_id,
			source: d.source ?? null,
			reason: row.reason
		}
	});
	return row;
}

/** Coordinators and investigators record and review deviations at their own sites. */
function assertDeviationWrite(ctx: ServiceContext, siteId: number): void {
	assertClinicalRead(ctx.actor, siteId, 'Protocol deviation');
	requireRole(ctx.actor, 'coordinator', 'investigator');
}

/** A person records a deviation for a participant (page, API). */
export async function reportDeviation(
	ctx: ServiceContext,
	participantId: number,
	input: unknown
): Promise<ProtocolDeviation> {
	const p = await participantsRepo.findParticipant(ctx.db, participantId);
	if (!p) throw new NotFoundError('Participant');
	assertDeviationWrite(ctx, p.site_id);
	const site = (await sitesRepo.findSiteById(ctx.db, p.site_id))!;
	const v = parseInput(deviationInput(site.timezone), input);
	return writeTransaction(ctx.db, async (trx) => {
		if (p.entered_in_error_at) throw new ConflictError('This participant was entered in error.');
		return recordDeviation(trx, ctx, { participantId, ...v });
	});
}

async function deviationForWrite(ctx: ServiceContext, trx: Trx, id: number) {
	const d = await repo.findDeviation(trx, id);
	if (!d) throw new NotFoundError('Protocol deviation');
	assertDeviationWrite(ctx, d.site_id);
	if (d.entered_in_error_at) throw new ConflictError('This deviation was entered in error.');
	return d;
}

/**
 * A person confirms or changes the category and the important marker (DOMAIN-2.md §7: "a person
 * confirms category and importance"). A change voids signatures and needs a reason.
 */
export async function reviewDeviation(
	ctx: ServiceContext,
	id: number,
	input: unknown
): Promise<ProtocolDeviation> {
	return writeTransaction(ctx.db, async (trx) => {
		const before = await deviationForWrite(ctx, trx, id);
		const v = parseInput(deviationReviewInput, input);
		const next = { category: v.category, important: v.important ? 1 : 0 };
		const change = changeOf(before, next);
		if (!change) return before;
		const reason = requireReasonFor({ altersSavedValue: true }, v.reason);
		await repo.updateDeviation(trx, id, {
			...next,
			...updatedStamp(ctx)
		});
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.deviationUpdated,
			entityType: 'protocol_deviation',
			entityId: id,
			siteId: before.site_id,
			oldValues: camelKeys(change.oldValues),
			newValues: camelKeys(change.newValues),
			reason
		});
		await voidSignatures(trx, ctx, 'protocol_deviation', id, `deviation changed: ${reason}`);
		return { ...before, ...next, version: before.version + 1 };
	});
}

export async function markDeviationEnteredInError(
	ctx: ServiceContext,
	id: number,
	input: { reason?: unknown }
): Promise<void> {
	await writeTransaction(ctx.db, async (trx) => {
		// Access first: a caller who may not touch the record hears nothing about its input.
		const before = await deviationForWrite(ctx, trx, id);
		const reason = requireReason(input.reason, 'Say why this deviation was entered in error.');
		await strikeRecord(
			trx,
			ctx,
			{
				action: AUDIT_ACTIONS.deviationEnteredInError,
				entityType: 'protocol_deviation',
				entityId: id,
				siteId: before.site_id
			},
			reason,
			(struck) => repo.updateDeviation(trx, id, struck.columns)
		);
		await voidSignatures(trx, ctx, 'protocol_deviation', id, `entered in error: ${reason}`);
	});
}

export interface DeviationView {
	id: number;
	participantId: number;
	subjectCode: string;
	siteCode: string;
	timeZone: string;
	category: DeviationCategory;
	description: string;
	important: boolean;
	/** 'rule' (found by Vigil) or 'manual'. */
	source: string;
	ruleId: string | null;
	sourceType: string | null;
	sourceId: number | null;
	visitId: number | null;
	dosingSessionId: number | null;
	occurredAt: string;
	reason: string | null;
	recordedAt: string;
	recordedBy: string | null;
	enteredInError: string | null;
}

function toView(r: repo.DeviationListRow): DeviationView {
	return {
		id: r.id,
		participantId: r.participant_id,
		subjectCode: r.subject_code,
		siteCode: r.site_code,
		timeZone: r.timezone,
		category: r.category as DeviationCategory,
		description: r.description,
		important: r.important === 1,
		source: r.source,
		ruleId: r.rule_id,
		sourceType: r.source_type,
		sourceId: r.source_id,
		visitId: r.visit_id,
		dosingSessionId: r.dosing_session_id,
		occurredAt: r.occurred_at,
		reason: r.reason,
		recordedAt: r.created_at,
		recordedBy: r.recorded_by_name ?? (r.created_by === null ? 'system' : null),
		enteredInError: r.entered_in_error_reason
	};
}

/** Deviations the actor may read: of one participant, or at one site, or at all their sites. */
export async function listDeviations(
	ctx: ServiceContext,
	f: { participantId?: number; siteId?: number } = {}
): Promise<DeviationView[]> {
	let siteIds = clinicalReadScope(ctx.actor);
	if (f.participantId !== undefined) {
		const p = await participantsRepo.findParticipant(ctx.db, f.participantId);
		if (!p) throw new NotFoundError('Participant');
		assertClinicalRead(ctx.actor, p.site_id, 'Participant');
	}
	if (f.siteId !== undefined) {
		assertClinicalRead(ctx.actor, f.siteId, 'Site');
		siteIds = [f.siteId];
	}
	const rows = await repo.listDeviations(ctx.db, { siteIds, participantId: f.participantId });
	return rows.map(toView);
}

export async function getDeviation(ctx: ServiceContext, id: number): Promise<DeviationView> {
	const d = await repo.findDeviation(ctx.db, id);
	if (!d) throw new NotFoundError('Protocol deviation');
	assertClinicalRead(ctx.actor, d.site_id, 'Protocol deviation');
	const [row] = (
		await repo.listDeviations(ctx.db, { siteIds: [d.site_id], participantId: d.participant_id })
	).filter((r) => r.id === id);
	if (!row) throw new NotFoundError('Protocol deviation');
	return toView(row);
}

/**
 * Starting a visit or session that departs from the protocol: the person must confirm with a
 * reason. 409, with the deviations under `deviationReason`; send again with `deviationReason`.
 */
export class DeviationConfirmationNeeded extends ConflictError {
	constructor(readonly deviations: DetectedDeviation[]) {
		super('This departs from the protocol. Confirm with a reason to record a protocol deviation.', {
			deviationReason: [
				...deviations.map((d) => d.description),
				'Give the reason for going ahead; a protocol deviation is recorded.'
			]
		});
	}
}

/** The visit rules (window, order) for a visit of this participant about to take place on `on`. */
export async function visitDeviationsFor(
	trx: Trx,
	visit: Visit,
	on: string
): Promise<DetectedDeviation[]> {
	const visits = await visitsRepo.listVisitsOfParticipant(trx, visit.participant_id);
	const state = (v: Visit): ScheduledVisitState => ({
		code: v.visit_code,
		label: v.label,
		kind: v.kind,
		sequence: v.sequence,
		windowStart: v.window_start,
		windowEnd: v.window_end,
		status: v.status
	});
	return visitDeviations(state(visit), visits.filter((v) => v.id !== visit.id).map(state), on);
}

/**
 * Records what the visit rules found, once the person confirmed with a reason; without one,
 * asks (DeviationConfirmationNeeded). Nothing found: nothing to do.
 */
export async function confirmVisitDeviations(
	trx: Trx,
	ctx: ServiceContext,
	found: DetectedDeviation[],
	at: { visit: Visit; occurredAt: Date | string; dosingSessionId?: number },
	reasonInput: unknown
): Promise<ProtocolDeviation[]> {
	if (found.length === 0) return [];
	const reason = typeof reasonInput === 'string' ? reasonInput.trim() : '';
	if (reason.length < 3) throw new DeviationConfirmationNeeded(found);
	const out = [];
	for (const d of found) {
		out.push(
			await recordDeviation(
				trx,
				ctx,
				fromDetected(d, {
					participantId: at.visit.participant_id,
					occurredAt: at.occurredAt,
					visitId: at.visit.id,
					dosingSessionId: at.dosingSessionId,
					source: at.dosingSessionId
						? { type: 'dosing_session', id: at.dosingSessionId }
						: { type: 'visit', id: at.visit.id },
					reason
				})
			)
		);
	}
	return out;
}

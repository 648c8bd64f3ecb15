// Concomitant medications (DOMAIN-2.md §4): recorded with dose, route, dates and indication, coded
// to an ATC class from the bundled list; the protocol's interaction rules run in the transaction
// that saves a medication or starts a dosing session, raising flags through the same reconcile as
// vitals; a rule that blocks dosing holds the dose like an action-level reading (an override
// needs a reason and is audited).
import { z } from 'zod';
import {
	atcClassOf,
	doseHold,
	ingredientCode,
	interactions,
	type Medication
} from '../../../domain/conmeds';
import type { FlagCandidate } from '../../../domain/safety';
import { conmedInput } from '../../../schemas/conmed';
import { AUDIT_ACTIONS } from '../../audit/actions';
import { appendAudit } from '../../audit/log';
import { camelKeys } from '../../audit/payloads';
import type { Trx } from '../../db';
import type { ConcomitantMedicationRow, DosingSession, Participant } from '../../db/schema';
import { writeTransaction } from '../../db/transaction';
import * as repo from '../../repositories/conmeds';
import * as sessionsRepo from '../../repositories/dosing-sessions';
import * as sitesRepo from '../../repositories/sites';
import type { ServiceContext } from '../../runtime/context';
import { ConflictError, NotFoundError, ValidationError } from '../../runtime/errors';
import { parseInput, refuseNul } from '../../runtime/validate';
import {
	changeOf,
	strikeRecord,
	requireReason,
	requireReasonFor,
	newRecordColumns
} from '../capture/corrections';
import { updatedStamp } from '../capture/stamps';
import { getParticipant, participantForWrite } from '../capture/participants';
import { siteDate } from '../../../domain/time';
import { activeProtocol } from '../protocol/studies';
import { reconcileFlags } from '../safety/flag-reconcile';

export function toMedication(r: ConcomitantMedicationRow): Medication {
	return {
		id: r.id,
		name: r.name,
		ingredient: r.ingredient,
		atcCode: r.atc_code,
		start: r.start_date,
		stop: r.stop_date
	};
}

export interface ConmedView extends ConcomitantMedicationRow {
	/** Rules it falls under now, in words (empty when none). */
	warnings: string[];
}

export async function listConmeds(
	ctx: ServiceContext,
	participantId: number,
	opts: { includeEnteredInError?: boolean } = {}
): Promise<ConmedView[]> {
	const p = await getParticipant(ctx, participantId);
	const { protocol } = await activeProtocol(ctx.db, p.study_id);
	const site = await sitesRepo.findSiteById(ctx.db, p.site_id);
	const today = siteDate(ctx.now(), site?.timezone ?? 'UTC');
	const rows = await repo.listConmedsOfParticipant(ctx.db, participantId, opts);
	return rows.map((r) => ({
		...r,
		warnings: warningsOf(r, protocol.concomitantMedications.rules, today)
	}));
}

/** One medication with the rules it falls under now, for a reader of its participant. */
export async function getConmed(ctx: ServiceContext, id: number): Promise<ConmedView> {
	const row = await repo.findConmed(ctx.db, id);
	if (!row) throw new NotFoundError('Medication');
	const p = await getParticipant(ctx, row.participant_id);
	const { protocol } = await activeProtocol(ctx.db, p.study_id);
	const site = await sitesRepo.findSiteById(ctx.db, p.site_id);
	const today = siteDate(ctx.now(), site?.timezone ?? 'UTC');
	return { ...row, warnings: warningsOf(row, protocol.concomitantMedications.rules, today) };
}

function warningsOf(
	row: ConcomitantMedicationRow,
	rules: Parameters<typeof interactions>[1],
	day: string
): string[] {
	if (row.entered_in_error_at) return [];
	return interactions([toMedication(row)], rules, { day, context: 'entry' }).map(
		(i) => i.candidate.message
	);
}

/** The coded columns: the ingredient's ATC code when the bundled list knows it. */
function coded(v: z.infer<typeof conmedInput>) {
	const known = v.ingredient ? ingredientCode(v.ingredient) : null;
	const atc = v.atcCode ?? known?.code ?? null;
	return {
		ingredient: v.ingredient ?? null,
		atc_code: atc,
		atc_class: atc ? (atcClassOf(atc)?.name ?? null) : null
	};
}

function columns(v: z.infer<typeof conmedInput>) {
	return {
		name: v.name,
		...coded(v),
		dose: v.dose ?? null,
		dose_unit: v.doseUnit ?? null,
		frequency: v.frequency ?? null,
		route: v.route ?? null,
		indication: v.indication ?? null,
		start_date: v.start,
		stop_date: v.stop ?? null
	};
}

/** Candidates for one medication: today at the site, and each dosing session's day. */
async function candidatesFor(
	trx: Trx,
	med: ConcomitantMedicationRow,
	ruleSet: Parameters<typeof interactions>[1],
	timeZone: string,
	now: Date
): Promise<FlagCandidate[]> {
	if (med.entered_in_error_at) return [];
	const m = [toMedication(med)];
	const out = interactions(m, ruleSet, { day: siteDate(now, timeZone), context: 'entry' });
	const sessions = await sessionsRepo.listSessionsOfParticipant(trx, med.participant_id);
	for (const s of sessions.filter((x) => !x.entered_in_error_at)) {
		const day = siteDate(new Date(s.t0), timeZone);
		out.push(...interactions(m, ruleSet, { day, context: 'dosing', sessionId: s.id }));
	}
	return out.map((i) => i.candidate);
}

/** Re-runs the interaction rules for a participant's medications and raises or closes flags. */
export async function evaluateConmeds(
	trx: Trx,
	ctx: ServiceContext,
	p: Participant,
	cause: string,
	only?: number
): Promise<void> {
	const { protocol, protocolVersionId } = await activeProtocol(trx, p.study_id);
	const site = await sitesRepo.findSiteById(trx, p.site_id);
	const meds = await repo.listConmedsOfParticipant(trx, p.id, { includeEnteredInError: true });
	for (const med of meds.filter((m) => only === undefined || m.id === only)) {
		const candidates = await candidatesFor(
			trx,
			med,
			protocol.concomitantMedications.rules,
			site?.timezone ?? 'UTC',
			ctx.now()
		);
		await reconcileFlags(
			trx,
			ctx,
			{ kind: 'source', sourceType: 'concomitant_medication', sourceId: med.id },
			candidates,
			{
				studyId: p.study_id,
				protocolVersionId,
				participantId: p.id,
				siteId: p.site_id,
				sessionId: null
			},
			cause
		);
	}
}

export async function recordConmed(
	ctx: ServiceContext,
	participantId: number,
	input: unknown
): Promise<ConcomitantMedicationRow> {
	return writeTransaction(ctx.db, async (trx) => {
		const p = await participantForWrite(ctx, trx, participantId);
		const v = parseInput(conmedInput, input);
		const row = await repo.insertConmed(trx, {
			participant_id: p.id,
			site_id: p.site_id,
			...columns(v),
			...newRecordColumns(ctx)
		});
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.conmedRecorded,
			entityType: 'concomitant_medication',
			entityId: row.id,
			siteId: row.site_id,
			newValues: { participantId: p.id, ...camelKeys(columns(v)) }
		});
		await evaluateConmeds(trx, ctx, p, `medication ${row.id} recorded`, row.id);
		return row;
	});
}

/** Corrects a medication (a stop date added, a dose changed); a saved value needs a reason. */
export async function correctConmed(
	ctx: ServiceContext,
	id: number,
	input: unknown
): Promise<ConcomitantMedicationRow> {
	return writeTransaction(ctx.db, async (trx) => {
		const before = await repo.findConmed(trx, id);
		if (!before) throw new NotFoundError('Medication');
		const p = await participantForWrite(ctx, trx, before.participant_id);
		const v = parseInput(conmedInput, input);
		if (before.entered_in_error_at) {
			throw new ConflictError('This medication was entered in error.');
		}
		const next = columns(v);
		const current = Object.fromEntries(
			Object.keys(next).map((k) => [k, before[k as keyof typeof next]])
		) as typeof next;
		const change = changeOf(current, next);
		if (!change) return before;
		const reason = requireReasonFor(change, v.reason);
		await repo.updateConmed(trx, id, {
			...next,
			...updatedStamp(ctx)
		});
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.conmedCorrected,
			entityType: 'concomitant_medication',
			entityId: id,
			siteId: before.site_id,
			oldValues: camelKeys(change.oldValues),
			newValues: camelKeys(change.newValues),
			reason
		});
		await evaluateConmeds(trx, ctx, p, `medication ${id} corrected`, id);
		return { ...before, ...next, version: before.version + 1 };
	});
}

export async function markConmedEnteredInError(
	ctx: ServiceContext,
	id: number,
	input: { reason?: unknown }
): Promise<void> {
	await writeTransaction(ctx.db, async (trx) => {
		const before = await repo.findConmed(trx, id);
		if (!before) throw new NotFoundError('Medication');
		// Access first: a caller who may not touch the record hears nothing about its input.
		const p = await participantForWrite(ctx, trx, before.participant_id);
		const reason = requireReason(input.reason, 'Say why this medication was entered in error.');
		if (before.entered_in_error_at) return;
		await strikeRecord(
			trx,
			ctx,
			{
				action: AUDIT_ACTIONS.conmedEnteredInError,
				entityType: 'concomitant_medication',
				entityId: id,
				siteId: before.site_id
			},
			reason,
			(struck) => repo.updateConmed(trx, id, struck.marks)
		);
		await evaluateConmeds(trx, ctx, p, `medication ${id} entered in error`, id);
	});
}

const overrideInput = z.object({
	conmedOverrideReason: z.preprocess(
		(v) => (typeof v === 'string' ? v.trim() : undefined),
		z.string().optional()
	)
});

/**
 * Inside startDosingSession's transaction, after the session row is written: a medication a rule
 * says blocks dosing holds the dose; dosing anyway needs an override reason (audited). Flags are
 * raised for every interaction on the session's day.
 */
export async function applyConmedHold(
	trx: Trx,
	ctx: ServiceContext,
	p: Participant,
	session: DosingSession,
	input: unknown
): Promise<void> {
	const { protocol } = await activeProtocol(trx, p.study_id);
	const site = await sitesRepo.findSiteById(trx, p.site_id);
	const day = siteDate(new Date(session.t0), site?.timezone ?? 'UTC');
	const meds = (await repo.listConmedsOfParticipant(trx, p.id)).map(toMedication);
	const found = interactions(meds, protocol.concomitantMedications.rules, {
		day,
		context: 'dosing',
		sessionId: session.id
	});
	const hold = doseHold(found);
	if (hold.held) {
		const parsed = overrideInput.safeParse(input);
		if (parsed.success) refuseNul(parsed.data);
		const reason = parsed.success ? parsed.data.conmedOverrideReason : undefined;
		if (!reason || reason.length < 3) {
			throw new ValidationError(
				{
					conmedOverrideReason: [
						...hold.reasons,
						'The protocol says hold the dose. To dose anyway, give the reason for overriding.'
					]
				},
				'The dose is held: a concomitant medication interacts with MDMA.'
			);
		}
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.dosingHeldForConmed,
			entityType: 'dosing_session',
			entityId: session.id,
			siteId: session.site_id,
			newValues: { held: hold.reasons },
			reason
		});
	}
	if (found.length > 0) await evaluateConmeds(trx, ctx, p, `dosing session ${session.id} started`);
}

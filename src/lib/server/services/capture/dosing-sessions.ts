// Dosing sessions: T0 and the initial dose, the supplemental dose (given or not, with a reason),
// and the end of the session.
import type { Protocol } from '../../../domain/protocol';
import { dosingSessionStart, dosingSessionUpdate } from '../../../schemas/dosing-session';
import { AUDIT_ACTIONS } from '../../audit/actions';
import { appendAudit, headAsRead } from '../../audit/log';
import { camelKeys } from '../../audit/payloads';
import type { ServiceContext } from '../../runtime/context';
import type { Trx } from '../../db';
import type { DosingSession, Participant, Site } from '../../db/schema';
import { writeTransaction } from '../../db/transaction';
import { ConflictError, NotFoundError, ValidationError } from '../../runtime/errors';
import * as repo from '../../repositories/dosing-sessions';
import * as participantsRepo from '../../repositories/participants';
import * as sitesRepo from '../../repositories/sites';
import * as sessionWriteRepo from '../../repositories/session-write';
import * as visitsRepo from '../../repositories/visits';
import { parseInput } from '../../runtime/validate';
import { assertClinicalRead, assertClinicalWrite } from '../people/clinical-access';
import { changeOf, strikeRecord, requireReason, requireReasonFor } from './corrections';
import { createdStamp, updatedStamp } from './stamps';
import { getParticipant, getParticipantToWrite, participantForWrite } from './participants';
import { refuseWriteBlocks } from '../monitoring/freeze-lock';
import { siteDate, isInFuture } from '../../../domain/time';
import { activeProtocol, activeProtocolOnly, parseStored } from '../protocol/studies';
import { keepRecordSdv } from '../monitoring/sdv-summary';
import { sdvSettingsOf } from '../monitoring/sdv-status';
import { reschedule } from './visits';
import { SUPPLEMENTAL_OVERRIDE_NEEDED, supplementalHold } from '../../../domain/safety';
import { toDomainReading } from './vital-readings';
import { sessionChanged } from './session-changes';
import { settleMissingReadings } from './not-done';
import { supplementalAgainstHold } from '../../../domain/deviations';
import {
	confirmVisitDeviations,
	DeviationConfirmationNeeded,
	fromDetected,
	recordDeviation,
	visitDeviationsFor
} from '../protocol/deviations';
import { requireValidConsent } from '../trial/consent';
import { applyConmedHold } from '../trial/conmeds';
import { keepSummaries } from '../dashboards/summaries';

/**
 * The supplemental-dose gate: an action-level reading since T0 says hold the dose; giving it
 * anyway needs an override reason, which raises a flag for the investigator.
 */
async function checkSupplementalGate(
	trx: Trx,
	ctx: ServiceContext,
	s: SessionContext,
	after: DosingSession,
	overrideReason: string | undefined
): Promise<void> {
	if (!after.supplemental_at || s.session.supplemental_at === after.supplemental_at) return;
	const timepoints = s.protocol.dosingSession.vitalsTimepoints;
	const readings = (await repo.listReadings(trx, s.session.id, false)).map((r) =>
		toDomainReading(r, timepoints)
	);
	const holds = supplementalHold(
		{ t0: after.t0, readings },
		s.protocol.safetyRules,
		new Date(after.supplemental_at)
	);
	if (holds.length === 0) return;
	if ((overrideReason ?? '').length >= 3) {
		// Given against the hold: a protocol deviation (IP/DOSING), besides the investigator's flag.
		await recordDeviation(
			trx,
			ctx,
			fromDetected(
				supplementalAgainstHold(
					s.session.session_number,
					holds.map((h) => h.message),
					overrideReason!
				),
				{
					participantId: s.session.participant_id,
					occurredAt: after.supplemental_at,
					dosingSessionId: s.session.id,
					visitId: s.session.visit_id ?? undefined,
					source: { type: 'dosing_session', id: s.session.id },
					reason: overrideReason
				}
			)
		);
		return;
	}
	throw new ValidationError({
		overrideReason: [...holds.map((h) => h.message), SUPPLEMENTAL_OVERRIDE_NEEDED]
	});
}

export interface SessionContext {
	session: DosingSession;
	participant: Participant;
	site: Site;
	protocol: Protocol;
	protocolVersionId: number;
}

/** A session with its participant, site and protocol, after the read check. */
export async function loadSession(
	ctx: ServiceContext,
	id: number,
	db = ctx.db
): Promise<SessionContext> {
	const session = await repo.findDosingSession(db, id);
	if (!session) throw new NotFoundError('Dosing session');
	assertClinicalRead(ctx.actor, session.site_id, 'Dosing session');
	const participant = await participantsRepo.findParticipant(db, session.participant_id);
	const site = await sitesRepo.findSiteById(db, session.site_id);
	if (!participant || !site) throw new NotFoundError('Dosing session');
	const { protocol, protocolVersionId } = await activeProtocolOnly(db, participant.study_id);
	return { session, participant, site, protocol, protocolVersionId };
}

/** A session loaded for a write, and whether it carries a standing signature. */
export interface SessionWriteContext extends SessionContext {
	signed: boolean;
}

/**
 * The same, for writing: a coordinator at the site, and not entered in error. One statement
 * (repositories/session-write.ts), with the same checks in the same order as loadSession's reads
 * and assertCasebookWritable, so the same refusals.
 */
export async function loadSessionForWrite(
	ctx: ServiceContext,
	trx: Trx,
	id: number
): Promise<SessionWriteContext> {
	const found = await sessionWriteRepo.findSessionForWrite(trx, id);
	if (!found) throw new NotFoundError('Dosing session');
	const { session, participant, site } = found;
	assertClinicalRead(ctx.actor, session.site_id, 'Dosing session');
	if (!found.protocol) throw new NotFoundError('Study protocol');
	const protocolVersionId = found.protocol.id;
	const protocol = parseStored(protocolVersionId, found.protocol.definition);
	assertClinicalWrite(ctx.actor, session.site_id, 'Dosing session');
	if (session.entered_in_error_at) {
		throw new ConflictError('This dosing session was entered in error.');
	}
	refuseWriteBlocks(found);
	headAsRead(trx, found.head);
	return { session, participant, site, protocol, protocolVersionId, signed: found.signed };
}

export async function listDosingSessions(
	ctx: ServiceContext,
	participantId: number
): Promise<DosingSession[]> {
	await getParticipant(ctx, participantId);
	return repo.listSessionsOfParticipant(ctx.db, participantId);
}

/** Starts a session at a dosing visit: T0 and the initial dose. The visit is recorded as done. */
export async function startDosingSession(
	ctx: ServiceContext,
	participantId: number,
	input: unknown
): Promise<DosingSession> {
	const p = await getParticipantToWrite(ctx, participantId);
	const site = (await sitesRepo.findSiteById(ctx.db, p.site_id))!;
	const v = parseInput(dosingSessionStart(site.timezone), input);
	if (isInFuture(v.t0, ctx.now())) {
		throw new ValidationError({ t0: ['T0 cannot be in the future.'] });
	}
	const { protocol } = await activeProtocol(ctx.db, p.study_id);
	return writeTransaction(ctx.db, async (trx) => {
		const participant = await participantForWrite(ctx, trx, participantId);
		if (participant.status !== 'enrolled') {
			throw new ValidationError({
				visitId: [`Only enrolled participants are dosed; this one is ${participant.status}.`]
			});
		}
		const visit = await visitsRepo.findVisit(trx, v.visitId);
		const planned = protocol.visits.find((pv) => pv.code === visit?.visit_code);
		if (!visit || visit.participant_id !== participantId || planned?.kind !== 'dosing') {
			throw new ValidationError({ visitId: ['Choose one of this participant’s dosing visits.'] });
		}
		await requireValidConsent(trx, ctx, participant, {
			what: `dosing session at ${visit.visit_code}`,
			at: v.t0.toISOString(),
			visitId: visit.id
		});
		if (await repo.findSessionForVisit(trx, visit.id)) {
			throw new ConflictError('This visit has a dosing session already.', {
				visitId: ['This visit has a dosing session already.']
			});
		}
		// Outside the visit's window, or before an earlier visit: confirm with a reason, and a
		// protocol deviation is recorded with the session (DOMAIN-2.md §7).
		const found =
			visit.status === 'scheduled'
				? await visitDeviationsFor(trx, visit, siteDate(v.t0, site.timezone))
				: [];
		if (found.length > 0 && (v.deviationReason ?? '').length < 3) {
			throw new DeviationConfirmationNeeded(found);
		}
		const at = ctx.now().toISOString();
		const session = await repo.insertDosingSession(trx, {
			participant_id: participantId,
			site_id: participant.site_id,
			visit_id: visit.id,
			session_number: planned.dose?.session ?? 1,
			t0: v.t0.toISOString(),
			initial_dose_mg: v.initialDoseMg,
			...createdStamp(ctx, at)
		});
		await keepRecordSdv(trx, { type: 'dosing_session', id: session.id });
		await keepSummaries(trx, { kind: 'participant', participantId });
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.dosingSessionCreated,
			entityType: 'dosing_session',
			entityId: session.id,
			siteId: session.site_id,
			newValues: {
				participant: participant.subject_code,
				visit: visit.visit_code,
				t0: session.t0,
				initialDoseMg: session.initial_dose_mg
			}
		});
		await confirmVisitDeviations(
			trx,
			ctx,
			found,
			{ visit, occurredAt: session.t0, dosingSessionId: session.id },
			v.deviationReason
		);
		await applyConmedHold(trx, ctx, participant, session, input);
		if (visit.status === 'scheduled') {
			const actualOn = siteDate(v.t0, site.timezone);
			await visitsRepo.updateVisit(trx, visit.id, {
				status: 'completed',
				actual_on: actualOn,
				...updatedStamp(ctx, at)
			});
			await appendAudit(trx, ctx, {
				action: AUDIT_ACTIONS.visitRecorded,
				entityType: 'visit',
				entityId: visit.id,
				siteId: visit.site_id,
				oldValues: { status: 'scheduled' },
				newValues: { status: 'completed', actualOn }
			});
			await reschedule(trx, ctx, participant);
		}
		return session;
	});
}

type SessionFields = Pick<
	DosingSession,
	| 't0'
	| 'initial_dose_mg'
	| 'supplemental_dose_mg'
	| 'supplemental_at'
	| 'supplemental_not_given_reason'
	| 'supplemental_override_reason'
	| 'ended_at'
>;

function nextFields(
	before: DosingSession,
	v: ReturnType<ReturnType<typeof dosingSessionUpdate>['parse']>
): Partial<SessionFields> {
	const next: Partial<SessionFields> = {};
	if (v.t0) next.t0 = v.t0.toISOString();
	if (v.initialDoseMg !== undefined) next.initial_dose_mg = v.initialDoseMg;
	if (v.supplemental === 'given') {
		next.supplemental_dose_mg = v.supplementalDoseMg ?? null;
		next.supplemental_at = v.supplementalAt?.toISOString() ?? null;
		next.supplemental_not_given_reason = null;
		if (v.overrideReason) next.supplemental_override_reason = v.overrideReason;
	} else if (v.supplemental === 'not-given') {
		next.supplemental_dose_mg = null;
		next.supplemental_at = null;
		next.supplemental_not_given_reason = v.supplementalNotGivenReason ?? null;
	} else if (
		v.supplemental === 'pending' &&
		(before.supplemental_at || before.supplemental_not_given_reason)
	) {
		next.supplemental_dose_mg = null;
		next.supplemental_at = null;
		next.supplemental_not_given_reason = null;
	}
	if (v.endedAt) next.ended_at = v.endedAt.toISOString();
	return next;
}

function checkOrder(after: SessionFields, now: Date): void {
	const t0 = Date.parse(after.t0);
	const errors: Record<string, string[]> = {};
	if (after.supplemental_at && Date.parse(after.supplemental_at) <= t0) {
		errors.supplementalAt = ['The supplemental dose comes after T0.'];
	}
	if (after.ended_at && Date.parse(after.ended_at) <= t0) {
		errors.endedAt = ['The session ends after T0.'];
	}
	if (
		after.ended_at &&
		after.supplemental_at &&
		Date.parse(after.ended_at) < Date.parse(after.supplemental_at)
	) {
		errors.endedAt = ['The session ends after the supplemental dose.'];
	}
	for (const [field, value] of [
		['t0', after.t0],
		['supplementalAt', after.supplemental_at],
		['endedAt', after.ended_at]
	] as const) {
		if (value && isInFuture(Date.parse(value), now)) {
			(errors[field] ??= []).push('This time is in the future.');
		}
	}
	if (Object.keys(errors).length > 0) throw new ValidationError(errors);
}

/** Records the supplemental dose, the end, or a correction (a changed saved value needs a reason). */
export async function updateDosingSession(
	ctx: ServiceContext,
	id: number,
	input: unknown
): Promise<DosingSession> {
	const { site, session: current } = await loadSession(ctx, id);
	assertClinicalWrite(ctx.actor, current.site_id, 'Dosing session');
	const v = parseInput(dosingSessionUpdate(site.timezone), input);
	return writeTransaction(ctx.db, async (trx) => {
		const loaded = await loadSessionForWrite(ctx, trx, id);
		const { session } = loaded;
		const next = nextFields(session, v);
		const change = changeOf(session as SessionFields, next);
		if (!change) return session;
		const reason = requireReasonFor(change, v.reason);
		const after = { ...session, ...next };
		checkOrder(after, ctx.now());
		await checkSupplementalGate(trx, ctx, loaded, after, v.overrideReason);
		// Ending with scheduled readings missing: each not done with a reason, or asked about.
		if (next.ended_at && next.ended_at !== session.ended_at && (v.askMissing || v.notDone)) {
			await settleMissingReadings(trx, ctx, loaded, next.ended_at, v.notDone ?? {});
		}
		await repo.updateDosingSession(trx, id, {
			...next,
			...updatedStamp(ctx)
		});
		await keepRecordSdv(trx, { type: 'dosing_session', id }, sdvSettingsOf(loaded.protocol));
		await keepSummaries(trx, { kind: 'participant', participantId: session.participant_id });
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.dosingSessionUpdated,
			entityType: 'dosing_session',
			entityId: id,
			siteId: session.site_id,
			oldValues: camelKeys(change.oldValues),
			newValues: camelKeys(change.newValues),
			reason
		});
		await sessionChanged(trx, ctx, id, reason ? `session corrected: ${reason}` : 'session updated');
		return { ...after, version: session.version + 1 };
	});
}

export async function markDosingSessionEnteredInError(
	ctx: ServiceContext,
	id: number,
	input: { reason?: unknown }
): Promise<void> {
	await writeTransaction(ctx.db, async (trx) => {
		// Access first: a caller who may not touch the record hears nothing about its input.
		const { session } = await loadSessionForWrite(ctx, trx, id);
		const reason = requireReason(input.reason, 'Say why this session was entered in error.');
		await strikeRecord(
			trx,
			ctx,
			{
				action: AUDIT_ACTIONS.dosingSessionEnteredInError,
				entityType: 'dosing_session',
				entityId: id,
				siteId: session.site_id
			},
			reason,
			async (struck) => {
				await repo.updateDosingSession(trx, id, struck.columns);
				await keepRecordSdv(trx, { type: 'dosing_session', id });
				await keepSummaries(trx, { kind: 'participant', participantId: session.participant_id });
			}
		);
		await sessionChanged(trx, ctx, id, `session entered in error: ${reason}`);
	});
}

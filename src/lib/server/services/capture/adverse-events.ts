// Adverse events: recording, correcting and entering in error, each with its audit entry in the
// same transaction, and the views readers get (with the SAE and SUSAR clocks worked out).
//
// Storage: `severity_scale` is 'ctcae' or 'mild-moderate-severe' (the scale the event was graded
// on, kept so a later protocol change cannot alter its meaning); `severity` is 'grade:N' for
// CTCAE or 'intensity:mild|moderate|severe'; `criteria` is JSON of the six ICH E2A answers;
// `serious` is derived from them, never entered. Times are ISO 8601 UTC.
import type { SeverityScale } from '../../../domain/adverse-events';
import type { AdverseEventRules } from '../../../domain/protocol';
import { adverseEventInput } from '../../../schemas/adverse-event';
import { AUDIT_ACTIONS } from '../../audit/actions';
import { appendAudit } from '../../audit/log';
import type { ServiceContext } from '../../runtime/context';
import type { Executor, Trx } from '../../db';
import { writeTransaction } from '../../db/transaction';
import { evaluateAdverseEventRecord } from '../safety/safety-records';
import { voidSignatures } from '../signatures/signatures';
import { ConflictError, NotFoundError, ValidationError } from '../../runtime/errors';
import * as repo from '../../repositories/adverse-events';
import type { AdverseEventRow } from '../../repositories/adverse-events';
import * as sitesRepo from '../../repositories/sites';
import { parseInput } from '../../runtime/validate';
import {
	columnsOf,
	storedFieldsOf,
	storedFieldsOfRow,
	toView,
	type AdverseEventView,
	type OpenSaeClock
} from './adverse-event-mapping';
import {
	assertClinicalRead,
	assertClinicalWrite,
	clinicalReadScope
} from '../people/clinical-access';
import { changeOf, strikeRecord, requireReason, requireReasonFor } from './corrections';
import { createdStamp, updatedStamp } from './stamps';
import { getParticipant, participantForWrite } from './participants';
import { assertCasebookWritable } from '../monitoring/freeze-lock';
import { activeProtocol } from '../protocol/studies';

export type {
	AdverseEventView,
	OpenSaeClock,
	ReportingClockView,
	SusarClockView
} from './adverse-event-mapping';
import { keepSummaries } from '../dashboards/summaries';
import { keepRecordSdv } from '../monitoring/sdv-summary';

const ENTITY = 'adverse_event';

async function aeRules(db: Executor, studyId: number): Promise<AdverseEventRules> {
	return (await activeProtocol(db, studyId)).protocol.safetyRules.adverseEvents;
}

/** The protocol names CTCAE by its version; the AE schema by the scale alone. */
function severityScaleOf(rules: AdverseEventRules): SeverityScale {
	return rules.severityScale === 'ctcae-v5' ? 'ctcae' : 'mild-moderate-severe';
}

function schemaFor(scale: string, timeZone: string, now: Date) {
	const severityScale: SeverityScale = scale === 'ctcae' ? 'ctcae' : 'mild-moderate-severe';
	return adverseEventInput({ severityScale, now, timeZone });
}

/** An event may link only to a dosing session of its own participant. */
async function assertOwnDosingSession(trx: Trx, participantId: number, id: number | undefined) {
	if (id === undefined) return;
	const session = await repo.findDosingSession(trx, id);
	if (!session || session.participant_id !== participantId || session.entered_in_error_at) {
		throw new ValidationError({ dosingSessionId: ["Choose one of this participant's sessions."] });
	}
}

export async function recordAdverseEvent(
	ctx: ServiceContext,
	participantId: number,
	input: unknown
): Promise<AdverseEventView> {
	return writeTransaction(ctx.db, async (trx) => {
		const p = await participantForWrite(ctx, trx, participantId);
		const site = await sitesRepo.findSiteById(trx, p.site_id);
		if (!site) throw new NotFoundError('Site');
		const rules = await aeRules(trx, p.study_id);
		const scale = severityScaleOf(rules);
		const v = parseInput(schemaFor(scale, site.timezone, ctx.now()), input);
		await assertOwnDosingSession(trx, p.id, v.dosingSessionId);
		const fields = storedFieldsOf(v);
		const { id } = await repo.insertAdverseEvent(trx, {
			participant_id: p.id,
			site_id: p.site_id,
			severity_scale: scale,
			...columnsOf(fields),
			...createdStamp(ctx)
		});
		await keepRecordSdv(trx, { type: 'adverse_event', id });
		await keepSummaries(trx, { kind: 'adverse-events', participantId: p.id });
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.adverseEventRecorded,
			entityType: ENTITY,
			entityId: id,
			siteId: p.site_id,
			newValues: { participantId: p.id, severityScale: scale, ...fields }
		});
		await evaluateAdverseEventRecord(trx, ctx, id, `adverse event ${id} recorded`);
		return toView((await repo.findAdverseEvent(trx, id))!, rules, ctx.now());
	});
}

/**
 * Loads an event the actor may change: a coordinator at its site, not entered in error. For
 * corrections an investigator at the site may too: seriousness, relatedness and expectedness are
 * the investigator's assessment (and a sponsor cannot downgrade it).
 */
async function eventForWrite(
	ctx: ServiceContext,
	trx: Trx,
	id: number,
	opts: { investigatorMay?: boolean } = {}
): Promise<AdverseEventRow> {
	const row = await repo.findAdverseEvent(trx, id);
	if (!row) throw new NotFoundError('Adverse event');
	const investigator = ctx.actor.kind === 'user' && ctx.actor.role === 'investigator';
	if (opts.investigatorMay && investigator) {
		assertClinicalRead(ctx.actor, row.site_id, 'Adverse event');
	} else {
		assertClinicalWrite(ctx.actor, row.site_id, 'Adverse event');
	}
	if (row.entered_in_error_at) {
		throw new ConflictError('This adverse event was entered in error and can no longer change.');
	}
	await assertCasebookWritable(trx, { id: row.participant_id, study_id: row.study_id });
	return row;
}

const fieldOf = (input: unknown, key: string): unknown =>
	typeof input === 'object' && input !== null ? (input as Record<string, unknown>)[key] : undefined;

/** The form sends the version it showed, so a correction never silently overwrites another. */
function assertSameVersion(row: AdverseEventRow, input: unknown): void {
	const shown = fieldOf(input, 'version');
	if (shown === undefined || shown === null || shown === '') return;
	if (Number(shown) !== row.version) {
		throw new ConflictError(
			'Someone else changed this adverse event after you opened it. Reload it and correct again.'
		);
	}
}

/** Corrects any field (full form plus `reason`); changing a saved value needs the reason. */
export async function correctAdverseEvent(
	ctx: ServiceContext,
	id: number,
	input: unknown
): Promise<AdverseEventView> {
	return writeTransaction(ctx.db, async (trx) => {
		const row = await eventForWrite(ctx, trx, id, { investigatorMay: true });
		assertSameVersion(row, input);
		const v = parseInput(schemaFor(row.severity_scale, row.site_timezone, ctx.now()), input);
		await assertOwnDosingSession(trx, row.participant_id, v.dosingSessionId);
		const rules = await aeRules(trx, row.study_id);
		const after = storedFieldsOf(v);
		const change = changeOf(storedFieldsOfRow(row), after);
		if (!change) return toView(row, rules, ctx.now());
		const reason = requireReasonFor(change, fieldOf(input, 'reason'));
		await repo.updateAdverseEvent(trx, id, {
			...columnsOf(after),
			...updatedStamp(ctx)
		});
		await keepRecordSdv(trx, { type: 'adverse_event', id });
		await keepSummaries(trx, { kind: 'adverse-events', participantId: row.participant_id });
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.adverseEventCorrected,
			entityType: ENTITY,
			entityId: id,
			siteId: row.site_id,
			oldValues: change.oldValues,
			newValues: change.newValues,
			reason
		});
		await evaluateAdverseEventRecord(
			trx,
			ctx,
			id,
			`adverse event ${id} corrected: ${reason ?? 'details added'}`
		);
		await voidSignatures(trx, ctx, 'adverse_event', id, `corrected: ${reason ?? 'details added'}`);
		return toView((await repo.findAdverseEvent(trx, id))!, rules, ctx.now());
	});
}

/** The row and its trail stay; the event drops out of lists and clocks. */
export async function markAdverseEventEnteredInError(
	ctx: ServiceContext,
	id: number,
	input: { reason?: unknown }
): Promise<AdverseEventView> {
	return writeTransaction(ctx.db, async (trx) => {
		const row = await eventForWrite(ctx, trx, id);
		const reason = requireReason(input.reason, 'Say why this event was entered in error.');
		await strikeRecord(
			trx,
			ctx,
			{
				action: AUDIT_ACTIONS.adverseEventEnteredInError,
				entityType: ENTITY,
				entityId: id,
				siteId: row.site_id
			},
			reason,
			async (struck) => {
				await repo.updateAdverseEvent(trx, id, struck.columns);
				await keepRecordSdv(trx, { type: 'adverse_event', id });
				await keepSummaries(trx, { kind: 'adverse-events', participantId: row.participant_id });
			}
		);
		await evaluateAdverseEventRecord(
			trx,
			ctx,
			id,
			`adverse event ${id} entered in error: ${reason}`
		);
		await voidSignatures(trx, ctx, 'adverse_event', id, `entered in error: ${reason}`);
		const rules = await aeRules(trx, row.study_id);
		return toView((await repo.findAdverseEvent(trx, id))!, rules, ctx.now());
	});
}

export async function getAdverseEvent(ctx: ServiceContext, id: number): Promise<AdverseEventView> {
	const row = await repo.findAdverseEvent(ctx.db, id);
	if (!row) throw new NotFoundError('Adverse event');
	assertClinicalRead(ctx.actor, row.site_id, 'Adverse event');
	return toView(row, await aeRules(ctx.db, row.study_id), ctx.now());
}

export async function listAdverseEvents(
	ctx: ServiceContext,
	participantId: number,
	opts: { includeEnteredInError?: boolean } = {}
): Promise<AdverseEventView[]> {
	const p = await getParticipant(ctx, participantId);
	const rows = await repo.listAdverseEventsOfParticipant(ctx.db, participantId, opts);
	const rules = await aeRules(ctx.db, p.study_id);
	return rows.map((row) => toView(row, rules, ctx.now()));
}

/** Every serious event in the actor's scope with its 24 h clock, soonest due first. */
export async function listOpenSaeClocks(
	ctx: ServiceContext,
	f: { siteId?: number } = {}
): Promise<OpenSaeClock[]> {
	const readable = clinicalReadScope(ctx.actor);
	// One site's (its overview) only when the actor reads it; else the actor's sites.
	const siteIds =
		f.siteId === undefined
			? readable
			: readable === 'all' || readable.includes(f.siteId)
				? [f.siteId]
				: [];
	const rows = await repo.listSeriousAdverseEvents(ctx.db, {
		siteIds,
		sponsorNotYetTold: true
	});
	const rulesByStudy = new Map<number, AdverseEventRules>();
	const out: OpenSaeClock[] = [];
	for (const row of rows) {
		if (!rulesByStudy.has(row.study_id)) {
			rulesByStudy.set(row.study_id, await aeRules(ctx.db, row.study_id));
		}
		const view = toView(row, rulesByStudy.get(row.study_id)!, ctx.now());
		// A sent report stops the clock: the board lists only reports still to send.
		if (!view.saeClock || view.saeClock.reportedAt) continue;
		out.push({
			adverseEventId: view.id,
			participantId: view.participantId,
			subjectCode: view.subjectCode,
			siteId: view.siteId,
			siteCode: view.siteCode,
			timeZone: view.timeZone,
			term: view.codedTerm ?? view.verbatimTerm,
			awareAt: view.awareAt,
			...view.saeClock,
			susarClock: view.susarClock
		});
	}
	return out.sort((a, b) => a.dueAt.localeCompare(b.dueAt));
}

export interface AdverseEventFormOptions {
	participantId: number;
	subjectCode: string;
	siteCode: string;
	/** Date-times on the form are wall-clock time in this zone. */
	timeZone: string;
	/** The scale a new event is graded on (the protocol's). */
	severityScale: SeverityScale;
	dosingSessions: Array<{ id: number; sessionNumber: number; t0: string }>;
}

/** What the AE form needs for one participant: its site's zone, the scale and its sessions. */
export async function adverseEventFormOptions(
	ctx: ServiceContext,
	participantId: number
): Promise<AdverseEventFormOptions> {
	const p = await getParticipant(ctx, participantId);
	const site = await sitesRepo.findSiteById(ctx.db, p.site_id);
	if (!site) throw new NotFoundError('Site');
	const sessions = await repo.listDosingSessionsOfParticipant(ctx.db, p.id);
	return {
		participantId: p.id,
		subjectCode: p.subject_code,
		siteCode: site.code,
		timeZone: site.timezone,
		severityScale: severityScaleOf(await aeRules(ctx.db, p.study_id)),
		dosingSessions: sessions.map((s) => ({ id: s.id, sessionNumber: s.session_number, t0: s.t0 }))
	};
}

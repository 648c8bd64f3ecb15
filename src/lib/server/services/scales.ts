// Rating-scale administrations: recorded, corrected (with a reason once an answer was saved) and
// entered in error, each scored by the domain and audited in the same transaction as the row.
import type { ItemAnswer } from '../../domain/scales';
import { AUDIT_ACTIONS } from '../audit/actions';
import { appendAudit } from '../audit/log';
import type { ServiceContext } from '../context';
import type { Trx } from '../db';
import type { Visit } from '../db/schema';
import { writeTransaction } from '../db/transaction';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import * as participantsRepo from '../repositories/participants';
import * as repo from '../repositories/scales';
import * as sitesRepo from '../repositories/sites';
import * as visitsRepo from '../repositories/visits';
import { actorUserId, assertClinicalRead, assertClinicalWrite } from './clinical-access';
import { changeOf, requireReason, requireReasonFor } from './corrections';
import { getParticipant, participantForWrite } from './participants';
import { readAdministration, type AdministrationEntry } from './scale-input';
import { scheduledAt, toView, type ScaleAdministrationView } from './scale-view';
import { activeProtocol } from './studies';

export { scaleSeries, type ScaleSeries, type ScaleSeriesPoint } from './scale-series';
export { SCALE_LABELS, type CssrsSummary, type ScaleAdministrationView } from './scale-view';

const WHAT = 'Scale administration';

async function timeZoneOf(ctx: ServiceContext, siteId: number): Promise<string> {
	const site = await sitesRepo.findSiteById(ctx.db, siteId);
	if (!site) throw new NotFoundError('Site');
	return site.timezone;
}

/** The visit named by the form, which must be one of this participant's and not missed. */
async function visitFor(trx: Trx, participantId: number, visitId: number | null) {
	if (visitId === null) return null;
	const visit = await visitsRepo.findVisit(trx, visitId);
	if (!visit || visit.participant_id !== participantId || visit.entered_in_error_at) {
		throw new ValidationError({ visitId: ["Choose one of this participant's visits."] });
	}
	if (visit.status === 'missed') {
		throw new ValidationError({ visitId: ['This visit is recorded as missed.'] });
	}
	return visit;
}

function scoreColumns(entry: AdministrationEntry) {
	return {
		visit_id: entry.visitId,
		administered_at: entry.administeredAt,
		answers: JSON.stringify(entry.answers),
		complete: entry.score.complete ? 1 : 0,
		total: entry.score.total,
		band: entry.score.band?.label ?? null,
		result: JSON.stringify(entry.score)
	};
}

const visitNames = (v: Visit | null) => ({
	visit_code: v?.visit_code ?? null,
	visit_label: v?.label ?? null
});

/** Records one administration; `notScheduled` marks an instrument the visit does not list. */
export async function recordScaleAdministration(
	ctx: ServiceContext,
	participantId: number,
	input: unknown
): Promise<ScaleAdministrationView> {
	const p = await getParticipant(ctx, participantId);
	assertClinicalWrite(ctx.actor, p.site_id, 'Participant');
	const entry = readAdministration(input, await timeZoneOf(ctx, p.site_id), ctx.now());
	const { protocol } = await activeProtocol(ctx.db, p.study_id);
	return writeTransaction(ctx.db, async (trx) => {
		await participantForWrite(ctx, trx, participantId);
		const visit = await visitFor(trx, participantId, entry.visitId);
		const row = await repo.insertScaleAdministration(trx, {
			...scoreColumns(entry),
			participant_id: p.id,
			site_id: p.site_id,
			instrument: entry.instrument,
			created_at: ctx.now().toISOString(),
			created_by: actorUserId(ctx.actor)
		});
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.scaleRecorded,
			entityType: 'scale_administration',
			entityId: row.id,
			siteId: row.site_id,
			newValues: {
				participantId: p.id,
				instrument: entry.instrument,
				visit: visit?.visit_code ?? null,
				notScheduled: !scheduledAt(protocol, visit?.visit_code ?? null, entry.instrument),
				administeredAt: entry.administeredAt,
				answers: entry.answers,
				complete: entry.score.complete,
				total: entry.score.total,
				band: entry.score.band?.label ?? null
			}
		});
		return toView({ ...row, ...visitNames(visit) }, protocol);
	});
}

async function rowForRead(ctx: ServiceContext, id: number) {
	const row = await repo.findScaleAdministration(ctx.db, id);
	if (!row) throw new NotFoundError(WHAT);
	assertClinicalRead(ctx.actor, row.site_id, WHAT);
	const p = await participantsRepo.findParticipant(ctx.db, row.participant_id);
	if (!p) throw new NotFoundError(WHAT);
	const { protocol } = await activeProtocol(ctx.db, p.study_id);
	return { row, protocol };
}

/** The row again inside the write transaction, refused when it moved on since it was read. */
async function rowForWrite(ctx: ServiceContext, trx: Trx, id: number, version: number | null) {
	const row = await repo.findScaleAdministration(trx, id);
	if (!row) throw new NotFoundError(WHAT);
	assertClinicalWrite(ctx.actor, row.site_id, WHAT);
	if (row.entered_in_error_at) throw new ConflictError('This administration was entered in error.');
	if (version !== null && version !== row.version) {
		throw new ConflictError('Someone changed this administration since you opened it; reload it.');
	}
	await participantForWrite(ctx, trx, row.participant_id);
	return row;
}

type Flat = Record<string, ItemAnswer | number | string | null>;

/** Visit, time and every item side by side, so `changeOf` sees each answer as its own field. */
function flatten(
	visitId: number | null,
	at: string,
	answers: Record<string, ItemAnswer>,
	keys: string[]
) {
	const flat: Flat = { visitId, administeredAt: at };
	for (const key of keys) flat[`answers.${key}`] = answers[key] ?? null;
	return flat;
}

/** Back to `{ answers: { '3': 2 }, … }` for a readable trail. */
function nest(values: Partial<Flat>): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	const answers: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(values)) {
		if (key.startsWith('answers.')) answers[key.slice('answers.'.length)] = value;
		else out[key] = value;
	}
	return Object.keys(answers).length > 0 ? { ...out, answers } : out;
}

/**
 * Corrects an administration and rescores it. A changed saved answer, time or visit needs a
 * reason; answering an item left empty is data entry and does not. Only what changed is audited.
 */
export async function correctScaleAdministration(
	ctx: ServiceContext,
	id: number,
	input: unknown
): Promise<ScaleAdministrationView> {
	const { row: before, protocol } = await rowForRead(ctx, id);
	assertClinicalWrite(ctx.actor, before.site_id, WHAT);
	const given =
		typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
	if (given.instrument !== undefined && given.instrument !== before.instrument) {
		throw new ValidationError({
			instrument: ['The instrument cannot change; enter this one in error and record the other.']
		});
	}
	const tz = await timeZoneOf(ctx, before.site_id);
	const entry = readAdministration({ ...given, instrument: before.instrument }, tz, ctx.now());
	return writeTransaction(ctx.db, async (trx) => {
		const row = await rowForWrite(ctx, trx, id, entry.version);
		const visit = await visitFor(trx, row.participant_id, entry.visitId);
		const saved = JSON.parse(row.answers) as Record<string, ItemAnswer>;
		const keys = [...new Set([...Object.keys(saved), ...Object.keys(entry.answers)])];
		const change = changeOf(
			flatten(row.visit_id, row.administered_at, saved, keys),
			flatten(entry.visitId, entry.administeredAt, entry.answers, keys)
		);
		if (!change) return toView(row, protocol);
		const reason = requireReasonFor(change, entry.reason);
		const columns = scoreColumns(entry);
		await repo.updateScaleAdministration(trx, id, {
			...columns,
			updated_at: ctx.now().toISOString(),
			updated_by: actorUserId(ctx.actor)
		});
		const derived = changeOf(
			{ complete: row.complete === 1, total: row.total, band: row.band },
			{ complete: entry.score.complete, total: columns.total, band: columns.band }
		);
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.scaleCorrected,
			entityType: 'scale_administration',
			entityId: id,
			siteId: row.site_id,
			oldValues: { ...nest(change.oldValues), ...derived?.oldValues },
			newValues: { ...nest(change.newValues), ...derived?.newValues },
			reason
		});
		const after = { ...row, ...columns, ...visitNames(visit), version: row.version + 1 };
		return toView({ ...after, updated_at: ctx.now().toISOString() }, protocol);
	});
}

/** Marks an administration entered in error: it leaves lists and series, the trail keeps it. */
export async function markScaleEnteredInError(
	ctx: ServiceContext,
	id: number,
	input: unknown
): Promise<ScaleAdministrationView> {
	const { row: before, protocol } = await rowForRead(ctx, id);
	assertClinicalWrite(ctx.actor, before.site_id, WHAT);
	const given =
		typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
	const reason = requireReason(given.reason, 'Say why this administration was entered in error.');
	return writeTransaction(ctx.db, async (trx) => {
		const row = await rowForWrite(ctx, trx, id, null);
		const at = ctx.now().toISOString();
		await repo.updateScaleAdministration(trx, id, {
			entered_in_error_at: at,
			entered_in_error_reason: reason,
			updated_at: at,
			updated_by: actorUserId(ctx.actor)
		});
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.scaleEnteredInError,
			entityType: 'scale_administration',
			entityId: id,
			siteId: row.site_id,
			oldValues: { enteredInError: false },
			newValues: { enteredInError: true },
			reason
		});
		const after = { ...row, entered_in_error_at: at, entered_in_error_reason: reason };
		return toView({ ...after, updated_at: at, version: row.version + 1 }, protocol);
	});
}

export async function getScaleAdministration(
	ctx: ServiceContext,
	id: number
): Promise<ScaleAdministrationView> {
	const { row, protocol } = await rowForRead(ctx, id);
	return toView(row, protocol);
}

/** A participant's administrations, oldest first; entered-in-error ones only when asked for. */
export async function listScaleAdministrations(
	ctx: ServiceContext,
	participantId: number,
	opts: { instrument?: string; includeEnteredInError?: boolean } = {}
): Promise<ScaleAdministrationView[]> {
	const p = await getParticipant(ctx, participantId);
	const { protocol } = await activeProtocol(ctx.db, p.study_id);
	const rows = await repo.listScaleAdministrationsOfParticipant(ctx.db, participantId, opts);
	return rows.map((row) => toView(row, protocol));
}

// Loading what a scale service writes to: the participant's visit, the administration row (read,
// then again inside the write transaction) and the columns a score fills.
import type { Protocol } from '../../../domain/protocol';
import type { ServiceContext } from '../../runtime/context';
import type { Trx } from '../../db';
import type { Visit } from '../../db/schema';
import { ConflictError, NotFoundError, ValidationError } from '../../runtime/errors';
import * as participantsRepo from '../../repositories/participants';
import * as repo from '../../repositories/scales';
import * as sitesRepo from '../../repositories/sites';
import * as visitsRepo from '../../repositories/visits';
import { assertClinicalRead, assertClinicalWrite } from '../people/clinical-access';
import { participantForWrite } from './participants';
import type { AdministrationEntry } from './scale-input';
import { activeProtocol } from '../protocol/studies';

export const WHAT = 'Scale administration';

export async function timeZoneOf(ctx: ServiceContext, siteId: number): Promise<string> {
	const site = await sitesRepo.findSiteById(ctx.db, siteId);
	if (!site) throw new NotFoundError('Site');
	return site.timezone;
}

/** The visit named by the form, which must be one of this participant's and not missed. */
export async function visitFor(
	trx: Trx,
	participantId: number,
	visitId: number | null
): Promise<Visit | null> {
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

export function scoreColumns(entry: AdministrationEntry) {
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

export const visitNames = (v: Visit | null) => ({
	visit_code: v?.visit_code ?? null,
	visit_label: v?.label ?? null
});

/** The administration, if the actor may read it, and the protocol it is judged against. */
export async function rowForRead(
	ctx: ServiceContext,
	id: number
): Promise<{ row: repo.ScaleAdministrationRow; protocol: Protocol }> {
	const row = await repo.findScaleAdministration(ctx.db, id);
	if (!row) throw new NotFoundError(WHAT);
	assertClinicalRead(ctx.actor, row.site_id, WHAT);
	const p = await participantsRepo.findParticipant(ctx.db, row.participant_id);
	if (!p) throw new NotFoundError(WHAT);
	const { protocol } = await activeProtocol(ctx.db, p.study_id);
	return { row, protocol };
}

/** The row and its protocol, once the actor may write to it: checked before the input is read. */
export async function rowToWrite(
	ctx: ServiceContext,
	id: number
): Promise<{ row: repo.ScaleAdministrationRow; protocol: Protocol }> {
	const found = await rowForRead(ctx, id);
	assertClinicalWrite(ctx.actor, found.row.site_id, WHAT);
	return found;
}

/** The row again inside the write transaction, refused when it moved on since it was read. */
export async function rowForWrite(
	ctx: ServiceContext,
	trx: Trx,
	id: number,
	version: number | null
) {
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

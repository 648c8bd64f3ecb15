// Participants and their visit schedules.
import { scheduleVisits, type Protocol } from '../../../domain/protocol';
import { participantInput, participantStatusChange } from '../../../schemas/participant';
import { AUDIT_ACTIONS } from '../../audit/actions';
import { appendAudit } from '../../audit/log';
import type { ServiceContext } from '../../runtime/context';
import type { Executor, Trx } from '../../db';
import type { Participant } from '../../db/schema';
import { writeTransaction } from '../../db/transaction';
import { ConflictError, NotFoundError, ValidationError } from '../../runtime/errors';
import * as repo from '../../repositories/participants';
import * as sitesRepo from '../../repositories/sites';
import * as visitsRepo from '../../repositories/visits';
import { decodeCursor, pageOf, type Page } from '../../api/cursor';
import { parseInput } from '../../runtime/validate';
import {
	assertClinicalRead,
	assertClinicalWrite,
	clinicalReadScope
} from '../people/clinical-access';
import { requireReason } from './corrections';
import { createdStamp, updatedStamp } from './stamps';
import { activeProtocol } from '../protocol/studies';
import { siteDate } from '../../../domain/time';
import { assertCasebookWritable, assertStudyWritable } from '../monitoring/freeze-lock';

export async function getParticipant(ctx: ServiceContext, id: number): Promise<Participant> {
	const p = await repo.findParticipant(ctx.db, id);
	if (!p) throw new NotFoundError('Participant');
	assertClinicalRead(ctx.actor, p.site_id, 'Participant');
	return p;
}

/**
 * A participant the actor may write to (a coordinator at its site), else "not found" or forbidden:
 * the check a write makes before it reads its input, so a refused caller learns nothing of it.
 */
export async function getParticipantToWrite(
	ctx: ServiceContext,
	id: number,
	db: Executor = ctx.db
): Promise<Participant> {
	const p = await repo.findParticipant(db, id);
	if (!p) throw new NotFoundError('Participant');
	assertClinicalWrite(ctx.actor, p.site_id, 'Participant');
	return p;
}

/** Inside the write: a participant the actor may write to, not struck, its casebook open. */
export async function participantForWrite(
	ctx: ServiceContext,
	trx: Trx,
	id: number
): Promise<Participant> {
	const p = await getParticipantToWrite(ctx, id, trx);
	if (p.entered_in_error_at) throw new ConflictError('This participant was entered in error.');
	await assertCasebookWritable(trx, p);
	return p;
}

export async function listParticipants(
	ctx: ServiceContext,
	f: { siteId?: number } = {}
): Promise<Participant[]> {
	const scope = clinicalReadScope(ctx.actor);
	if (f.siteId !== undefined) assertClinicalRead(ctx.actor, f.siteId, 'Site');
	return repo.listParticipants(ctx.db, { siteIds: scope, siteId: f.siteId });
}

/** A page of the participants at the actor's sites, by subject code (the JSON API's list). */
export async function listParticipantsPage(
	ctx: ServiceContext,
	f: { siteId?: number; limit: number; cursor?: string }
): Promise<Page<Participant>> {
	const scope = clinicalReadScope(ctx.actor);
	if (f.siteId !== undefined) assertClinicalRead(ctx.actor, f.siteId, 'Site');
	const after = decodeCursor(f.cursor, ['string', 'number']) as [string, number] | null;
	const rows = await repo.listParticipantsPage(
		ctx.db,
		{ siteIds: scope, siteId: f.siteId, limit: f.limit + 1 },
		after
	);
	return pageOf(
		rows,
		f.limit,
		(r) => [r.subject_code, r.id],
		(r) => r
	);
}

async function scheduleFor(
	trx: Trx,
	ctx: ServiceContext,
	p: Participant,
	protocol: Protocol,
	enrolledOn: string
): Promise<void> {
	const at = ctx.now().toISOString();
	const plan = scheduleVisits(protocol, enrolledOn);
	await visitsRepo.insertVisits(
		trx,
		plan.map((v, i) => ({
			participant_id: p.id,
			site_id: p.site_id,
			visit_code: v.code,
			label: v.label,
			kind: v.kind,
			sequence: i + 1,
			planned_on: v.planned,
			window_start: v.windowStart,
			window_end: v.windowEnd,
			actual_on: null,
			status: 'scheduled',
			missed_reason: null,
			...createdStamp(ctx, at)
		}))
	);
	await appendAudit(trx, ctx, {
		action: AUDIT_ACTIONS.visitsScheduled,
		entityType: 'participant',
		entityId: p.id,
		siteId: p.site_id,
		newValues: { enrolledOn, visits: plan.map((v) => ({ code: v.code, planned: v.planned })) }
	});
}

/** Adds a participant at a site; enrolling (now or later) schedules the protocol's visits. */
export async function createParticipant(
	ctx: ServiceContext,
	where: { studyId: number; siteId: number },
	input: unknown
): Promise<Participant> {
	assertClinicalWrite(ctx.actor, where.siteId, 'Site');
	const v = parseInput(participantInput(ctx.now()), input);
	const site = await sitesRepo.findSiteById(ctx.db, where.siteId);
	if (!site) throw new NotFoundError('Site');
	if (!v.subjectCode.startsWith(`${site.code}-`)) {
		throw new ValidationError({
			subjectCode: [`Subject codes at site ${site.code} start with ${site.code}-.`]
		});
	}
	const enrolledOn =
		v.status === 'enrolled' ? (v.enrolledOn ?? siteDate(ctx.now(), site.timezone)) : null;
	const { protocol } = await activeProtocol(ctx.db, where.studyId);
	// Dose group is the protocol's list (doseGroups), not free text.
	if (!protocol.doseGroups.includes(v.doseGroup)) {
		throw new ValidationError({
			doseGroup: [`Choose one of the protocol's dose groups: ${protocol.doseGroups.join(', ')}.`]
		});
	}
	return writeTransaction(ctx.db, async (trx) => {
		await assertStudyWritable(trx, where.studyId);
		if (await repo.findBySubjectCode(trx, where.studyId, v.subjectCode)) {
			throw new ConflictError('This subject code is taken.', {
				subjectCode: [`${v.subjectCode} is in use in this study.`]
			});
		}
		const p = await repo.insertParticipant(trx, {
			study_id: where.studyId,
			site_id: where.siteId,
			subject_code: v.subjectCode,
			status: v.status,
			sex: v.sex,
			birth_year: v.birthYear,
			dose_group: v.doseGroup,
			enrolled_on: enrolledOn,
			...createdStamp(ctx)
		});
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.participantCreated,
			entityType: 'participant',
			entityId: p.id,
			siteId: p.site_id,
			newValues: {
				subjectCode: p.subject_code,
				status: p.status,
				sex: p.sex,
				birthYear: p.birth_year,
				doseGroup: p.dose_group,
				enrolledOn
			}
		});
		if (enrolledOn) await scheduleFor(trx, ctx, p, protocol, enrolledOn);
		return p;
	});
}

/** Status changes: enrol (schedules visits), withdraw (reason required), complete. */
export async function changeParticipantStatus(
	ctx: ServiceContext,
	id: number,
	input: unknown
): Promise<Participant> {
	const before = await getParticipantToWrite(ctx, id);
	const v = parseInput(participantStatusChange, input);
	const { protocol } = await activeProtocol(ctx.db, before.study_id);
	const site = await sitesRepo.findSiteById(ctx.db, before.site_id);
	return writeTransaction(ctx.db, async (trx) => {
		const p = await participantForWrite(ctx, trx, id);
		if (p.status === v.status) return p;
		if (p.status === 'withdrawn' || p.status === 'completed') {
			throw new ValidationError({ status: [`A ${p.status} participant's status cannot change.`] });
		}
		const reason =
			v.status === 'withdrawn'
				? requireReason(v.reason, 'Give the reason for withdrawal.')
				: v.reason?.trim() || null;
		const enrolledOn =
			v.status === 'enrolled'
				? (v.enrolledOn ?? siteDate(ctx.now(), site!.timezone))
				: p.enrolled_on;
		await repo.updateParticipant(trx, id, {
			status: v.status,
			status_reason: reason,
			enrolled_on: enrolledOn,
			...updatedStamp(ctx)
		});
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.participantStatusChanged,
			entityType: 'participant',
			entityId: id,
			siteId: p.site_id,
			oldValues: { status: p.status },
			newValues: { status: v.status, ...(v.status === 'enrolled' ? { enrolledOn } : {}) },
			reason
		});
		const after = {
			...p,
			status: v.status,
			status_reason: reason,
			enrolled_on: enrolledOn,
			version: p.version + 1
		};
		if (v.status === 'enrolled' && p.status === 'screening' && enrolledOn) {
			const existing = await visitsRepo.listVisitsOfParticipant(trx, id);
			if (existing.length === 0) await scheduleFor(trx, ctx, after, protocol, enrolledOn);
		}
		return after;
	});
}

// Casebook freeze and study lock (DOMAIN-2 §8; E6(R3) §3.16.1(r)). A frozen casebook takes no
// edits until an investigator or administrator unfreezes it with a reason; a locked study is
// read-only for everyone, through every door, until an unlock asked for with a reason is approved
// by another administrator (./unlock-approval.ts).
// The checks run inside each write's transaction (capture services, signatures, queries, SDV).
import { z } from 'zod';
import { optionalReasonText, reasonText } from '../../../schemas/input';
import { appendAudit } from '../../audit/log';
import { requireRole } from '../../auth/access';
import type { Executor } from '../../db';
import { writeTransaction } from '../../db/transaction';
import type { ServiceContext } from '../../runtime/context';
import { ConflictError, NotFoundError } from '../../runtime/errors';
import { parseInput } from '../../runtime/validate';
import * as repo from '../../repositories/freeze-lock';
import * as participantsRepo from '../../repositories/participants';
import * as studiesRepo from '../../repositories/studies';
import { actorUserId, assertClinicalRead } from '../people/clinical-access';
// A runtime-only cycle (signing checks the freeze; lifting a freeze voids signatures): both sides
// call the other inside functions, never at module load.
import { voidSignaturesWithin } from '../signatures/signatures';

export const FREEZE_LOCK_ACTIONS = {
	frozen: 'casebook.freeze',
	unfrozen: 'casebook.unfreeze',
	locked: 'study.lock',
	unlocked: 'study.unlock'
} as const;

export const STUDY_LOCKED =
	'The study is locked for analysis: nothing can change until an unlock is asked for and approved.';
export const CASEBOOK_FROZEN =
	"This participant's casebook is frozen: an investigator or administrator must unfreeze it, with a reason, before it can change.";

/** Refuses any change while the study is locked. */
export async function assertStudyWritable(db: Executor, studyId: number): Promise<void> {
	if (await repo.standingLock(db, studyId)) throw new ConflictError(STUDY_LOCKED);
}

/** Refuses a change to a participant's data while the study is locked or the casebook frozen. */
export async function assertCasebookWritable(
	db: Executor,
	participant: { id: number; study_id: number }
): Promise<void> {
	// Both read in one statement (every write of a participant's data asks); the lock speaks first.
	refuseWriteBlocks(await repo.writeBlocks(db, participant.study_id, participant.id));
}

/** The same refusal from blocks read already (the lock speaks first). */
export function refuseWriteBlocks(blocks: { locked: boolean; frozen: boolean }): void {
	if (blocks.locked) throw new ConflictError(STUDY_LOCKED);
	if (blocks.frozen) throw new ConflictError(CASEBOOK_FROZEN);
}

/** Refuses a change to anything of this participant's while their study is locked. */
export async function assertStudyWritableFor(db: Executor, participantId: number): Promise<void> {
	const p = await participantsRepo.findParticipant(db, participantId);
	if (p) await assertStudyWritable(db, p.study_id);
}

const reasonInput = z.object({ reason: reasonText('Give the reason.') });
const optionalReason = z.object({
	reason: z.preprocess((v) => (v === null ? undefined : v), optionalReasonText)
});

export interface FreezeState {
	frozen: boolean;
	frozenAt: string | null;
	reason: string | null;
}

export interface LockState {
	locked: boolean;
	lockedAt: string | null;
	reason: string | null;
}

async function participantFor(ctx: ServiceContext, db: Executor, id: number) {
	const p = await participantsRepo.findParticipant(db, id);
	if (!p) throw new NotFoundError('Participant');
	assertClinicalRead(ctx.actor, p.site_id, 'Participant');
	return p;
}

export async function casebookState(
	ctx: ServiceContext,
	participantId: number
): Promise<FreezeState> {
	const p = await participantFor(ctx, ctx.db, participantId);
	const f = await repo.standingFreeze(ctx.db, p.id);
	return { frozen: !!f, frozenAt: f?.frozen_at ?? null, reason: f?.reason ?? null };
}

/** Investigators (at the participant's site) and administrators freeze a casebook. */
export async function freezeCasebook(
	ctx: ServiceContext,
	participantId: number,
	input: unknown = {}
): Promise<FreezeState> {
	requireRole(ctx.actor, 'investigator', 'admin');
	return writeTransaction(ctx.db, async (trx) => {
		const p = await participantFor(ctx, trx, participantId);
		const { reason } = parseInput(optionalReason, input);
		await assertStudyWritable(trx, p.study_id);
		if (await repo.standingFreeze(trx, p.id)) {
			throw new ConflictError('This casebook is frozen already.');
		}
		const at = ctx.now().toISOString();
		const f = await repo.insertFreeze(trx, {
			participant_id: p.id,
			site_id: p.site_id,
			frozen_at: at,
			frozen_by: actorUserId(ctx.actor),
			reason: reason ?? null
		});
		await appendAudit(trx, ctx, {
			action: FREEZE_LOCK_ACTIONS.frozen,
			entityType: 'participant',
			entityId: p.id,
			siteId: p.site_id,
			oldValues: { frozen: false },
			newValues: { frozen: true, frozenAt: at, freezeId: f.id },
			reason: reason ?? null
		});
		return { frozen: true, frozenAt: f.frozen_at, reason: f.reason };
	});
}

/** Lifting a freeze always says why. */
export async function unfreezeCasebook(
	ctx: ServiceContext,
	participantId: number,
	input: unknown
): Promise<FreezeState> {
	requireRole(ctx.actor, 'investigator', 'admin');
	return writeTransaction(ctx.db, async (trx) => {
		const p = await participantFor(ctx, trx, participantId);
		const { reason } = parseInput(reasonInput, input);
		await assertStudyWritable(trx, p.study_id);
		const f = await repo.standingFreeze(trx, p.id);
		if (!f) throw new ConflictError('This casebook is not frozen.');
		const at = ctx.now().toISOString();
		await repo.liftFreeze(trx, f.id, actorUserId(ctx.actor), at, reason);
		await voidSignaturesWithin(trx, ctx, { participantId: p.id }, `casebook unfrozen: ${reason}`);
		await appendAudit(trx, ctx, {
			action: FREEZE_LOCK_ACTIONS.unfrozen,
			entityType: 'participant',
			entityId: p.id,
			siteId: p.site_id,
			oldValues: { frozen: true, frozenAt: f.frozen_at },
			newValues: { frozen: false, freezeId: f.id, unfrozenAt: at },
			reason
		});
		return { frozen: false, frozenAt: null, reason: null };
	});
}

async function studyFor(db: Executor, studyId: number) {
	const s = await studiesRepo.findStudyById(db, studyId);
	if (!s) throw new NotFoundError('Study');
	return s;
}

export async function studyLockState(ctx: ServiceContext, studyId: number): Promise<LockState> {
	await studyFor(ctx.db, studyId);
	const l = await repo.standingLock(ctx.db, studyId);
	return { locked: !!l, lockedAt: l?.locked_at ?? null, reason: l?.reason ?? null };
}

/** The lock standing on any study, for a banner and for stamping exports; no access check. */
export async function standingStudyLock(db: Executor) {
	const l = await repo.anyStandingLock(db);
	return l ? { studyCode: l.study_code, lockedAt: l.locked_at } : null;
}

/** The banner every signed-in page shows while a study is locked. */
export function studyLockBanner(ctx: ServiceContext) {
	return standingStudyLock(ctx.db);
}

/** Administrators lock a study for analysis. */
export async function lockStudy(
	ctx: ServiceContext,
	studyId: number,
	input: unknown = {}
): Promise<LockState> {
	requireRole(ctx.actor, 'admin');
	const { reason } = parseInput(optionalReason, input);
	return writeTransaction(ctx.db, async (trx) => {
		await studyFor(trx, studyId);
		if (await repo.standingLock(trx, studyId)) {
			throw new ConflictError('The study is locked already.');
		}
		const at = ctx.now().toISOString();
		const lock = await repo.insertLock(trx, {
			study_id: studyId,
			locked_at: at,
			locked_by: actorUserId(ctx.actor),
			reason: reason ?? null
		});
		await appendAudit(trx, ctx, {
			action: FREEZE_LOCK_ACTIONS.locked,
			entityType: 'study',
			entityId: studyId,
			oldValues: { locked: false },
			newValues: { locked: true, lockedAt: at, lockId: lock.id },
			reason: reason ?? null
		});
		return { locked: true, lockedAt: at, reason: reason ?? null };
	});
}

// Unlocking (a request, then another administrator's approval) is ./unlock-approval.ts.

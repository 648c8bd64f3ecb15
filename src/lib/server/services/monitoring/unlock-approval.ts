// Unlocking a locked study needs a reason and an approval (DOMAIN-2 §8: "unlock needs reason +
// approval and voids affected signatures"). One administrator (or the command-line operator) asks,
// saying why; another approves, which lifts the lock and voids the study's signatures, or declines.
// The request and the decision are separate steps by different people, each audited.
import { z } from 'zod';
import { optionalReasonText, reasonText } from '../../../schemas/input';
import { AUDIT_ACTIONS } from '../../audit/actions';
import { appendAudit } from '../../audit/log';
import { requireRole } from '../../auth/access';
import type { Actor } from '../../runtime/context';
import type { Executor, Trx } from '../../db';
import type { StudyUnlockRequest } from '../../db/schema';
import { writeTransaction } from '../../db/transaction';
import type { ServiceContext } from '../../runtime/context';
import { ConflictError, ForbiddenError, NotFoundError } from '../../runtime/errors';
import { parseInput } from '../../runtime/validate';
import * as locks from '../../repositories/freeze-lock';
import * as repo from '../../repositories/unlock-requests';
import { actorUserId } from '../people/clinical-access';
import { voidSignaturesWithin } from '../signatures/signatures';

const requestInput = z.object({ reason: reasonText('Give the reason to unlock.') });
const declineInput = z.object({ reason: reasonText('Give the reason to decline.') });
const approveInput = z.object({
	note: z.preprocess((v) => (v === null ? undefined : v), optionalReasonText)
});

export interface UnlockRequestView {
	id: number;
	reason: string;
	requestedAt: string;
	requestedBy: string;
	/** The viewer asked for it, so may not approve it. */
	askedByYou: boolean;
}

/** Who acted, as the request keeps it: a user's name, or the operator's label. */
const labelOf = (actor: Actor) =>
	actor.kind === 'user' ? actor.name : actor.kind === 'system' ? actor.label : 'anonymous';

/** The same person: the same user, or the same command-line operator. */
function sameActor(actor: Actor, r: StudyUnlockRequest): boolean {
	if (actor.kind === 'user') return r.requested_by === actor.id;
	return r.requested_by === null && actor.kind === 'system' && r.requested_by_label === actor.label;
}

function view(actor: Actor, r: StudyUnlockRequest): UnlockRequestView {
	return {
		id: r.id,
		reason: r.reason,
		requestedAt: r.requested_at,
		requestedBy: r.requested_by_label,
		askedByYou: sameActor(actor, r)
	};
}

async function lockedStudy(db: Executor, studyId: number) {
	const s = await db.selectFrom('study').select('id').where('id', '=', studyId).executeTakeFirst();
	if (!s) throw new NotFoundError('Study');
	const lock = await locks.standingLock(db, studyId);
	if (!lock) throw new ConflictError('The study is not locked.');
	return lock;
}

/** The unlock waiting for approval on this study (administrators), or null. */
export async function pendingUnlock(
	ctx: ServiceContext,
	studyId: number
): Promise<UnlockRequestView | null> {
	requireRole(ctx.actor, 'admin');
	const r = await repo.pendingUnlockRequest(ctx.db, studyId);
	return r ? view(ctx.actor, r) : null;
}

/** An administrator asks to unlock the study, saying why; nothing is unlocked yet. */
export async function requestUnlock(
	ctx: ServiceContext,
	studyId: number,
	input: unknown
): Promise<UnlockRequestView> {
	requireRole(ctx.actor, 'admin');
	const { reason } = parseInput(requestInput, input);
	return writeTransaction(ctx.db, async (trx) => {
		const lock = await lockedStudy(trx, studyId);
		if (await repo.pendingUnlockRequest(trx, studyId)) {
			throw new ConflictError('An unlock of this study is waiting for approval already.');
		}
		const r = await repo.insertUnlockRequest(trx, {
			study_id: studyId,
			lock_id: lock.id,
			reason,
			requested_at: ctx.now().toISOString(),
			requested_by: actorUserId(ctx.actor),
			requested_by_label: labelOf(ctx.actor)
		});
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.studyUnlockRequested,
			entityType: 'study',
			entityId: studyId,
			newValues: { unlockRequested: true, requestId: r.id, lockedAt: lock.locked_at },
			reason
		});
		return view(ctx.actor, r);
	});
}

/** The waiting request, which the actor may decide only if someone else asked. */
async function waitingRequest(trx: Trx, ctx: ServiceContext, studyId: number) {
	await lockedStudy(trx, studyId);
	const r = await repo.pendingUnlockRequest(trx, studyId);
	if (!r) throw new ConflictError('No unlock of this study is waiting for approval.');
	return r;
}

async function decide(
	trx: Trx,
	ctx: ServiceContext,
	r: StudyUnlockRequest,
	decision: 'approved' | 'declined',
	note: string | null
): Promise<string> {
	const at = ctx.now().toISOString();
	await repo.decideUnlockRequest(trx, r.id, {
		decision,
		decided_at: at,
		decided_by: actorUserId(ctx.actor),
		decided_by_label: labelOf(ctx.actor),
		decision_note: note
	});
	return at;
}

/**
 * Another administrator approves: the lock is lifted with the request's reason, the study's
 * signatures are voided (each audited), and approval and unlock are audited with both names.
 */
export async function approveUnlock(
	ctx: ServiceContext,
	studyId: number,
	input: unknown = {}
): Promise<{ locked: false; unlockedAt: string }> {
	requireRole(ctx.actor, 'admin');
	const { note } = parseInput(approveInput, input);
	return writeTransaction(ctx.db, async (trx) => {
		const r = await waitingRequest(trx, ctx, studyId);
		if (sameActor(ctx.actor, r)) {
			throw new ForbiddenError('Another administrator must approve the unlock you asked for.');
		}
		const lock = await lockedStudy(trx, studyId);
		const at = await decide(trx, ctx, r, 'approved', note ?? null);
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.studyUnlockApproved,
			entityType: 'study',
			entityId: studyId,
			oldValues: { unlockRequested: true, requestId: r.id },
			newValues: { approved: true, requestedBy: r.requested_by_label },
			reason: note ?? null
		});
		await locks.liftLock(trx, lock.id, actorUserId(ctx.actor), at, r.reason);
		await voidSignaturesWithin(trx, ctx, { studyId }, `study unlocked: ${r.reason}`);
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.studyUnlocked,
			entityType: 'study',
			entityId: studyId,
			oldValues: { locked: true, lockedAt: lock.locked_at },
			newValues: {
				locked: false,
				lockId: lock.id,
				unlockedAt: at,
				requestedBy: r.requested_by_label,
				approvedBy: labelOf(ctx.actor)
			},
			reason: r.reason
		});
		return { locked: false as const, unlockedAt: at };
	});
}

/** Declined by another administrator, or withdrawn by the one who asked; the lock stands. */
export async function declineUnlock(
	ctx: ServiceContext,
	studyId: number,
	input: unknown
): Promise<{ locked: true }> {
	requireRole(ctx.actor, 'admin');
	const { reason } = parseInput(declineInput, input);
	return writeTransaction(ctx.db, async (trx) => {
		const r = await waitingRequest(trx, ctx, studyId);
		await decide(trx, ctx, r, 'declined', reason);
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.studyUnlockDeclined,
			entityType: 'study',
			entityId: studyId,
			oldValues: { unlockRequested: true, requestId: r.id },
			newValues: { declined: true, withdrawn: sameActor(ctx.actor, r) },
			reason
		});
		return { locked: true as const };
	});
}

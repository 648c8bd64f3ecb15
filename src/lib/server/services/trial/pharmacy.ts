// The unblinded pharmacy view: which arm each randomised participant's kit holds, at the
// pharmacist's own sites, so doses can be prepared. Only roles.ts's UNBLINDED_ROLES pass; every
// view of the list is audited (who read the allocation, when) without the arms themselves.
import { isUnblindedRole } from '../../../roles';
import { AUDIT_ACTIONS } from '../../audit/actions';
import { appendAudit } from '../../audit/log';
import { readableSites, requireActor } from '../../auth/access';
import { writeTransaction } from '../../db/transaction';
import * as allocation from '../../repositories/allocation';
import type { Actor, ServiceContext } from '../../runtime/context';
import { ForbiddenError } from '../../runtime/errors';
import { activeProtocol } from '../protocol/studies';
import * as studiesRepo from '../../repositories/studies';
import { standingLock } from '../../repositories/freeze-lock';
import { getParticipant } from '../capture/participants';
import { clinicalReadScope } from '../people/clinical-access';

/** Whether this actor holds an unblinded role (may know arms before database lock). */
export function mayKnowArms(actor: Actor): boolean {
	return actor.kind === 'user' && isUnblindedRole(actor.role);
}

/**
 * Whether this actor may see arms in this study now: an unblinded role always; everyone else only
 * once the study is locked for analysis (DOMAIN-2.md §8: lock, then unblind; §2: per-arm results
 * reveal allocation before lock).
 */
export async function mayKnowArmsNow(ctx: ServiceContext, studyId: number): Promise<boolean> {
	if (ctx.actor.kind === 'anonymous' || ctx.actor.kind === 'participant') return false;
	if (mayKnowArms(ctx.actor)) return true;
	return (await standingLock(ctx.db, studyId)) !== undefined;
}

export function requireUnblinded(actor: Actor): void {
	requireActor(actor);
	if (!mayKnowArms(actor)) throw new ForbiddenError('Only an unblinded role may see arms.');
}

export interface PharmacyRow {
	participantId: number;
	subjectCode: string;
	kit: string;
	armCode: string;
	armLabel: string;
	randomisedAt: string;
	unblindedAt: string | null;
}

/**
 * The allocation of every randomised participant: for the pharmacist at their own sites, and once
 * the study is locked for every reading role at theirs (the CLI operator too). Every view audited.
 */
export async function pharmacyList(ctx: ServiceContext, studyId: number): Promise<PharmacyRow[]> {
	const actor = requireActor(ctx.actor);
	let sites: number[] | 'all';
	if (mayKnowArms(actor)) {
		sites = readableSites(actor, { adminSeesAll: false });
	} else {
		sites = clinicalReadScope(actor);
		if (!(await mayKnowArmsNow(ctx, studyId))) {
			throw new ForbiddenError('Only an unblinded role may see arms before the study is locked.');
		}
	}
	const { protocol } = await activeProtocol(ctx.db, studyId);
	const rows = await allocation.assignedSlots(ctx.db, studyId, sites);
	await writeTransaction(ctx.db, (trx) =>
		appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.allocationViewed,
			entityType: 'allocation_list',
			entityId: studyId,
			newValues: { participants: rows.length }
		})
	);
	return rows.map((r) => ({
		participantId: r.participant_id,
		subjectCode: r.subject_code,
		kit: r.kit,
		armCode: r.arm,
		armLabel: protocol.randomisation.arms.find((a) => a.code === r.arm)?.label ?? r.arm,
		randomisedAt: r.randomised_at,
		unblindedAt: r.unblinded_at
	}));
}

/** Arms by participant id, for analyses a viewer who may know arms sees (unblinded or locked). */
export async function armsForUnblinded(
	ctx: ServiceContext,
	studyId: number
): Promise<Map<number, string>> {
	requireActor(ctx.actor);
	if (!(await mayKnowArmsNow(ctx, studyId))) {
		throw new ForbiddenError('Only an unblinded role may see arms before the study is locked.');
	}
	return concealedArms(ctx, studyId);
}

/**
 * Arms by participant id for a pooled statistic that a blinded reader may see (James' index needs
 * the actual arm of every guess, DOMAIN-2.md §2). The caller must return only pooled figures to a
 * viewer for whom mayKnowArmsNow is false: never a per-arm count, index or participant's arm.
 */
export async function concealedArms(
	ctx: ServiceContext,
	studyId: number
): Promise<Map<number, string>> {
	requireActor(ctx.actor);
	const rows = await allocation.armsOfStudy(ctx.db, studyId);
	return new Map(rows.map((r) => [r.participant_id!, r.arm]));
}

/** The studies, for the pharmacist (who holds no clinical read role) and the reading roles. */
export async function pharmacyStudies(ctx: ServiceContext) {
	if (!mayKnowArms(requireActor(ctx.actor))) clinicalReadScope(ctx.actor);
	return studiesRepo.listStudies(ctx.db);
}

/**
 * One participant's arm, for a reader at their site who may know arms now (after lock, or an
 * unblinded role); null for everyone else, so a page can ask without deciding itself.
 */
export async function participantArm(
	ctx: ServiceContext,
	participantId: number
): Promise<{ code: string; label: string } | null> {
	const p = await getParticipant(ctx, participantId);
	if (!(await mayKnowArmsNow(ctx, p.study_id))) return null;
	const slot = await allocation.slotOfParticipant(ctx.db, participantId);
	if (!slot) return null;
	const { protocol } = await activeProtocol(ctx.db, p.study_id);
	const arm = protocol.randomisation.arms.find((a) => a.code === slot.arm);
	return { code: slot.arm, label: arm?.label ?? slot.arm };
}

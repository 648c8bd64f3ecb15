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

/** Whether this actor may know arms now: an unblinded role (database lock will widen this). */
export function mayKnowArms(actor: Actor): boolean {
	return actor.kind === 'user' && isUnblindedRole(actor.role);
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

export async function pharmacyList(ctx: ServiceContext, studyId: number): Promise<PharmacyRow[]> {
	requireUnblinded(ctx.actor);
	const sites = readableSites(ctx.actor, { adminSeesAll: false });
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

/** Arms by participant id, for analyses an unblinded viewer may see (guess tables, KM by arm). */
export async function armsForUnblinded(
	ctx: ServiceContext,
	studyId: number
): Promise<Map<number, string>> {
	requireUnblinded(ctx.actor);
	const rows = await allocation.armsOfStudy(ctx.db, studyId);
	return new Map(rows.map((r) => [r.participant_id!, r.arm]));
}

/** The studies, for the pharmacist (who holds no clinical read role). */
export async function pharmacyStudies(ctx: ServiceContext) {
	requireUnblinded(ctx.actor);
	return studiesRepo.listStudies(ctx.db);
}

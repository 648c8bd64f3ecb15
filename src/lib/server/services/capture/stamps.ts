// The stamps every clinical record carries: who made it and when, who changed it last and when.
import type { ServiceContext } from '../../runtime/context';
import { actorUserId } from '../people/clinical-access';

/** Who made a record and when (`created_by` is null for the operator). */
export function createdStamp(ctx: ServiceContext, at = ctx.now().toISOString()) {
	return { created_at: at, created_by: actorUserId(ctx.actor) };
}

/** Who changed a record last and when (`updated_by` is null for the operator). */
export function updatedStamp(ctx: ServiceContext, at = ctx.now().toISOString()) {
	return { updated_at: at, updated_by: actorUserId(ctx.actor) };
}

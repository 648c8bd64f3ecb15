// One record, several rules broken: the board shows them as one card, and the investigator may
// acknowledge, act on or close them together (the API's group writes call the same functions).
// Each flag still gets its own row change and audit entry, all in one transaction, so either
// every flag of the list moves or none does.
import { flagGroupActionInput, flagGroupCloseInput, flagGroupInput } from '../../../schemas/flag';
import { requireRole } from '../../auth/access';
import type { Trx } from '../../db';
import { writeTransaction } from '../../db/transaction';
import * as repo from '../../repositories/flags';
import type { ServiceContext } from '../../runtime/context';
import { ConflictError, NotFoundError } from '../../runtime/errors';
import { parseInput } from '../../runtime/validate';
import { assertClinicalRead } from '../people/clinical-access';
import {
	acknowledgement,
	actionTaken,
	applyFlagStep,
	closure,
	getFlag,
	type FlagView
} from './flags';

/** The flags afterwards, as the actor sees them. */
function after(ctx: ServiceContext, ids: number[]): Promise<FlagView[]> {
	return Promise.all(ids.map((id) => getFlag(ctx, id)));
}

/**
 * The listed flags' ids, each checked to exist at one of the actor's sites before anything else
 * of the input is read: a caller learns nothing about a flag it may not see from a field error.
 */
async function reachableFlagIds(trx: Trx, ctx: ServiceContext, input: unknown): Promise<number[]> {
	const ids = [...new Set(parseInput(flagGroupInput, input).flagIds)];
	for (const id of ids) {
		const f = await repo.findFlag(trx, id);
		if (!f) throw new NotFoundError('Flag');
		assertClinicalRead(ctx.actor, f.site_id, 'Flag');
	}
	return ids;
}

/** Acknowledges every flag of `{ flagIds }` that nobody has acknowledged yet. */
export async function acknowledgeFlags(ctx: ServiceContext, input: unknown): Promise<FlagView[]> {
	requireRole(ctx.actor, 'investigator');
	const wanted = await writeTransaction(ctx.db, async (trx) => {
		const ids = await reachableFlagIds(trx, ctx, input);
		let moved = 0;
		for (const id of ids) {
			// Seen or closed flags are left as they are.
			const f = await repo.findFlag(trx, id);
			if (f && (f.acknowledged_at || f.status === 'closed')) continue;
			await applyFlagStep(trx, ctx, id, ['investigator'], acknowledgement(ctx));
			moved += 1;
		}
		if (moved === 0) throw new ConflictError('These flags are acknowledged already.');
		return ids;
	});
	return after(ctx, wanted);
}

/** Records one action (what was done, details) on every open flag of `{ flagIds }`. */
export async function recordFlagActions(ctx: ServiceContext, input: unknown): Promise<FlagView[]> {
	requireRole(ctx.actor, 'investigator', 'coordinator');
	const wanted = await writeTransaction(ctx.db, async (trx) => {
		const ids = await reachableFlagIds(trx, ctx, input);
		const v = parseInput(flagGroupActionInput, input);
		for (const id of ids) {
			await applyFlagStep(trx, ctx, id, ['investigator', 'coordinator'], actionTaken(ctx, v));
		}
		return ids;
	});
	return after(ctx, wanted);
}

/** Closes every open flag of `{ flagIds }` with one outcome. */
export async function closeFlags(ctx: ServiceContext, input: unknown): Promise<FlagView[]> {
	requireRole(ctx.actor, 'investigator');
	const wanted = await writeTransaction(ctx.db, async (trx) => {
		const ids = await reachableFlagIds(trx, ctx, input);
		const v = parseInput(flagGroupCloseInput, input);
		for (const id of ids) {
			await applyFlagStep(trx, ctx, id, ['investigator'], closure(ctx, v.outcome));
		}
		return ids;
	});
	return after(ctx, wanted);
}

// One record, several rules broken: the board shows them as one card, and the investigator may
// acknowledge or close them together. Each flag still gets its own row change and audit entry, all
// in one transaction, so either every flag of the card moves or none does.
import { z } from 'zod';
import { flagCloseInput } from '../../../schemas/flag';
import { requireRole } from '../../auth/access';
import { writeTransaction } from '../../db/transaction';
import * as repo from '../../repositories/flags';
import type { ServiceContext } from '../../runtime/context';
import { ConflictError } from '../../runtime/errors';
import { parseInput } from '../../runtime/validate';
import { assertClinicalRead } from '../people/clinical-access';
import { acknowledgement, applyFlagStep, closure, getFlag, type FlagView } from './flags';

const flagIds = z
	.array(z.coerce.number().int().positive(), { error: 'Choose the flags.' })
	.min(1, 'Choose the flags.')
	.max(100);

/** The flags afterwards, as the actor sees them. */
function after(ctx: ServiceContext, ids: number[]): Promise<FlagView[]> {
	return Promise.all(ids.map((id) => getFlag(ctx, id)));
}

/** Acknowledges every flag of the list that nobody has acknowledged yet. */
export async function acknowledgeFlags(ctx: ServiceContext, ids: unknown): Promise<FlagView[]> {
	requireRole(ctx.actor, 'investigator');
	const wanted = [...new Set(parseInput(flagIds, ids))];
	await writeTransaction(ctx.db, async (trx) => {
		let moved = 0;
		for (const id of wanted) {
			const f = await repo.findFlag(trx, id);
			// Unknown ids fail inside the step, as for one flag; seen or closed ones are left as they are.
			if (f) assertClinicalRead(ctx.actor, f.site_id, 'Flag');
			if (f && (f.acknowledged_at || f.status === 'closed')) continue;
			await applyFlagStep(trx, ctx, id, ['investigator'], acknowledgement(ctx));
			moved += 1;
		}
		if (moved === 0) throw new ConflictError('These flags are acknowledged already.');
	});
	return after(ctx, wanted);
}

/** Closes every open flag of the list with one outcome. */
export async function closeFlags(
	ctx: ServiceContext,
	ids: unknown,
	input: unknown
): Promise<FlagView[]> {
	requireRole(ctx.actor, 'investigator');
	const wanted = [...new Set(parseInput(flagIds, ids))];
	const v = parseInput(flagCloseInput, input);
	await writeTransaction(ctx.db, async (trx) => {
		for (const id of wanted) {
			await applyFlagStep(trx, ctx, id, ['investigator'], closure(ctx, v.outcome));
		}
	});
	return after(ctx, wanted);
}

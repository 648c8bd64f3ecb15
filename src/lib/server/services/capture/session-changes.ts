// What follows any change to a dosing session or its readings, inside the same transaction: the
// safety rules run again (flags raised or closed) and the session's signatures are void.
import type { ServiceContext } from '../../runtime/context';
import type { Trx } from '../../db';
import { evaluateSession } from '../safety/safety-evaluation';
import { voidSignatures } from '../signatures/signatures';

export async function sessionChanged(
	trx: Trx,
	ctx: ServiceContext,
	sessionId: number,
	cause: string
): Promise<void> {
	await evaluateSession(trx, ctx, sessionId, cause);
	await voidSignatures(trx, ctx, 'dosing_session', sessionId, cause);
}

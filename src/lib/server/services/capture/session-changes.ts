// What follows any change to a dosing session or its readings, inside the same transaction: the
// safety rules run again (flags raised or closed) and the session's signatures are void.
import type { ServiceContext } from '../../runtime/context';
import type { Trx } from '../../db';
import { evaluateSession, type SessionFacts } from '../safety/safety-evaluation';
import { voidSignatures } from '../signatures/signatures';
import { keepSummaries } from '../dashboards/summaries';

export async function sessionChanged(
	trx: Trx,
	ctx: ServiceContext,
	sessionId: number,
	cause: string,
	known?: SessionFacts
): Promise<void> {
	await evaluateSession(trx, ctx, sessionId, cause, known);
	await keepSummaries(trx, { kind: 'session-readings', sessionId });
	await voidSignatures(trx, ctx, 'dosing_session', sessionId, cause);
}

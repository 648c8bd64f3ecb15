// What follows any change to a dosing session or its readings, inside the same transaction: the
// safety rules run again (flags raised or closed) and the session's signatures are void.
import type { ServiceContext } from '../../runtime/context';
import type { Trx } from '../../db';
import type { VitalReading } from '../../db/schema';
import { evaluateSession, type SessionFacts } from '../safety/safety-evaluation';
import { voidSignatures } from '../signatures/signatures';
import { keepSummaries } from '../dashboards/summaries';

/**
 * `known`: the session as the write left it (loaded once; see vitals.ts). `added`: the ids of the
 * readings the write only added (nothing corrected or entered in error), so the summaries that
 * cannot have moved are not recomputed. `known.signed` false: the session has no standing
 * signature, so there is none to void (the update and its statement are skipped).
 */
export async function sessionChanged(
	trx: Trx,
	ctx: ServiceContext,
	sessionId: number,
	cause: string,
	known?: SessionFacts & { signed?: boolean },
	added?: ReadonlySet<number>
): Promise<void> {
	const { raised, closed } = await evaluateSession(trx, ctx, sessionId, cause, known);
	await keepSummaries(
		trx,
		known && added
			? {
					kind: 'session-readings',
					sessionId,
					moved: {
						peaks: peaksMoved(known.readings, added),
						// A breach is a vitals flag of the session: only raising or closing one counts.
						breaches: raised.length > 0 || closed.length > 0
					}
				}
			: { kind: 'session-readings', sessionId }
	);
	if (known?.signed !== false) await voidSignatures(trx, ctx, 'dosing_session', sessionId, cause);
}

const PEAK_MEASURES = ['systolic', 'diastolic', 'heart_rate', 'temperature_c'] as const;

/**
 * Whether the readings `added` raised any measure's peak over the session's other readings in
 * effect (as session_peak keeps it: the maximum over readings not entered in error).
 */
export function peaksMoved(readings: readonly VitalReading[], added: ReadonlySet<number>): boolean {
	for (const measure of PEAK_MEASURES) {
		let before: number | null = null;
		let after: number | null = null;
		for (const r of readings) {
			const value = r[measure];
			if (r.entered_in_error_at !== null || value === null) continue;
			if (after === null || value > after) after = value;
			if (!added.has(r.id) && (before === null || value > before)) before = value;
		}
		if (before !== after) return true;
	}
	return false;
}

// The dashboards read summaries, not history: each write calls keepSummaries inside its own
// transaction (the row, its audit entry, its flags and its summaries commit together), naming
// what it changed. Each summary is recomputed for what the write touched (one session, or one
// participant), so a write costs what that participant's records cost and a page costs what it
// shows. `rebuildSummaries` recomputes everything: after a bulk load, and as the tests' oracle.
import type { Db, Executor } from '../../db';
import { writeTransaction } from '../../db/transaction';
import * as repo from '../../repositories/summaries';
import { aeSiteKeyDeltas, foldAeSiteKeys } from './ae-site-keys';
import { keepCohortCells, rebuildAllCohortCells } from './cohort-cells';
import { keepRelapseOutcome, rebuildAllRelapseOutcomes } from './relapse-outcomes';
import { keepSessionSummaries, rebuildSafetyCells } from './safety-cells';
import { rebuildSdvStatus, resumeSdvRebuilds } from '../monitoring/sdv-summary';

export type SummaryChange =
	/**
	 * A reading of the session, or its flags (the safety rules ran again). `moved` says which of
	 * the session's summaries the write can have changed, when it knows (a write that only added
	 * readings); without it, all are recomputed.
	 */
	| {
			kind: 'session-readings';
			sessionId: number;
			moved?: { peaks: boolean; breaches: boolean };
	  }
	/** A scale administration of the participant, or one of their visits. */
	| { kind: 'scales'; participantId: number }
	/** An adverse event of the participant. */
	| { kind: 'adverse-events'; participantId: number }
	/**
	 * The participant themselves (site, dose group, entered in error) or their dosing sessions
	 * (a new or withdrawn session moves the first dose, and who counts as dosed): everything.
	 */
	| { kind: 'participant'; participantId: number };

export async function keepSummaries(trx: Executor, change: SummaryChange): Promise<void> {
	if (change.kind === 'session-readings') {
		await keepSessionSummaries(trx, { sessionId: change.sessionId }, change.moved);
		return;
	}
	const target = { participantId: change.participantId };
	if (change.kind !== 'adverse-events') {
		// The cohort's cells move with the per-visit totals (their second level).
		await keepCohortCells(trx, change.participantId, () => repo.refreshScaleTotals(trx, target));
	}
	if (change.kind !== 'scales') {
		// The second level moves by what the participant's rows gave before and give after.
		const before = await repo.aeTermRows(trx, target);
		await repo.refreshAeTerms(trx, target);
		await repo.addAeSiteKeys(trx, aeSiteKeyDeltas(before, await repo.aeTermRows(trx, target)));
	}
	// Time to relapse reads relapse-scale totals, relapse-event AEs and the first dose.
	await keepRelapseOutcome(trx, change.participantId);
	if (change.kind === 'participant') await keepSessionSummaries(trx, target);
}

/** Every summary recomputed from history (a bulk load; `vigil db summaries`). */
export async function rebuildSummaries(db: Executor): Promise<void> {
	await repo.refreshScaleTotals(db, 'all');
	await repo.refreshSessionPeaks(db, 'all');
	await repo.refreshSessionBreaches(db, 'all');
	await rebuildSafetyCells(db);
	await repo.refreshAeTerms(db, 'all');
	await repo.replaceAeSiteKeys(db, [...foldAeSiteKeys(await repo.aeTermRows(db, 'all')).values()]);
	await rebuildAllCohortCells(db);
	await rebuildAllRelapseOutcomes(db);
	await rebuildSdvStatus(db, 'all');
	await repo.clearPendingBackfill(db);
}

/**
 * What a migration could not backfill (it needs domain code a frozen migration cannot copy): the
 * migration records the summary's name in pending_backfill, and this rebuilds each one in a
 * transaction with the deletion of its name, at start-up and in `vigil migrate`. The name stays
 * until the rebuild commits, so a process stopped in between, or a database copied (`db copy`)
 * from a source migrated without it, is rebuilt at its next start. Then any SDV summary rebuild an
 * activation left under way is run to its end (services/monitoring/sdv-summary.ts).
 */
export async function runPendingBackfills(db: Db): Promise<string[]> {
	const done: string[] = [];
	for (const name of await repo.pendingBackfills(db)) {
		const rebuild = BACKFILLS[name];
		// A name this version does not know is a newer version's: left for it.
		if (!rebuild) continue;
		await writeTransaction(db, async (trx) => {
			await rebuild(trx);
			await repo.clearPendingBackfill(trx, name);
		});
		done.push(name);
	}
	// An SDV summary rebuild an activation left under way (the process stopped mid-rebuild).
	await resumeSdvRebuilds(db);
	return done;
}

const BACKFILLS: Record<string, (trx: Executor) => Promise<void>> = {
	relapse_outcome: rebuildAllRelapseOutcomes,
	sdv_record_status: (trx) => rebuildSdvStatus(trx, 'all')
};

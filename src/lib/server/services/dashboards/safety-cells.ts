// Keeps the per-session summaries (session_peak, session_breach) and their second level
// (session_peak_cell, session_breach_cell) together: the cells a participant's session rows gave
// before the write are taken away and those they give after it are added, so a write moves only
// the few cells it changed (none, when a peak stays in its bin). The safety-signals page then
// reads a row per site × dose group × bin or rule, whatever the number of sessions. Nothing here
// reads the protocol (bins are fixed; a rule's label is read on the page): an activation leaves
// the cells as they are.
import type { Executor } from '../../db';
import * as repo from '../../repositories/safety-cells';
import * as summariesRepo from '../../repositories/summaries';

/** The cells' identities and what they count, for subtracting one set of rows from another. */
function deltas<T extends object>(
	before: readonly T[],
	after: readonly T[],
	key: readonly (keyof T)[],
	counts: readonly (keyof T)[]
): T[] {
	const cells = new Map<string, T>();
	const fold = (rows: readonly T[], sign: 1 | -1) => {
		for (const r of rows) {
			const id = JSON.stringify(key.map((k) => r[k]));
			const cell =
				cells.get(id) ?? ({ ...r, ...Object.fromEntries(counts.map((c) => [c, 0])) } as T);
			for (const c of counts) (cell[c] as number) += sign * Number(r[c]);
			cells.set(id, cell);
		}
	};
	fold(before, -1);
	fold(after, 1);
	return [...cells.values()].filter((c) => counts.some((k) => c[k] !== 0));
}

const PEAK_KEY = ['study_id', 'site_id', 'dose_group', 'measure', 'bin'] as const;
const BREACH_KEY = ['study_id', 'site_id', 'dose_group', 'rule_id'] as const;

/**
 * Recomputes a session's (or a participant's) peaks and breaches, as `moved` says which can have
 * changed, and moves their cells by the difference.
 */
export async function keepSessionSummaries(
	trx: Executor,
	target: { sessionId: number } | { participantId: number },
	moved: { peaks: boolean; breaches: boolean } = { peaks: true, breaches: true }
): Promise<void> {
	if (moved.peaks) {
		const before = await repo.peakCellRows(trx, target);
		await summariesRepo.refreshSessionPeaks(trx, target);
		const after = await repo.peakCellRows(trx, target);
		await repo.addPeakCells(trx, deltas(before, after, PEAK_KEY, ['sessions', 'participants']));
	}
	if (moved.breaches) {
		const before = await repo.breachCellRows(trx, target);
		await summariesRepo.refreshSessionBreaches(trx, target);
		const after = await repo.breachCellRows(trx, target);
		await repo.addBreachCells(trx, deltas(before, after, BREACH_KEY, ['breaches', 'sessions']));
	}
}

/** Every cell from the session summaries (a rebuild of every summary, after them). */
export async function rebuildSafetyCells(db: Executor): Promise<void> {
	await repo.rebuildSafetyCells(db);
}

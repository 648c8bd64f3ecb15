// Keeps the cohort's second level (cohort_cell) with the scale summaries: a write that moved a
// participant's per-visit totals recomputes the cells those rows left and entered, under the
// rule of the study's active protocol (its primary scale, response and remission); activating a
// version rebuilds the study's cells under the new rule. The cohort page then reads a row per
// site × dose group × visit, whatever the number of participants.
import type { Protocol } from '../../../domain/protocol';
import type { Executor } from '../../db';
import type { CohortRule } from '../../repositories/cohort';
import * as repo from '../../repositories/cohort-cells';
import * as participantsRepo from '../../repositories/participants';
import * as studiesRepo from '../../repositories/studies';
import { activeProtocol } from '../protocol/studies';

/** What the cohort counts under a protocol: its primary scale, response and remission. */
export function cohortRule(protocol: Protocol): CohortRule {
	const instrument = protocol.scales.primary;
	return {
		instrument,
		responsePercent: protocol.scales.responsePercentBelowBaseline,
		remission: protocol.scales.remission[instrument]
	};
}

type Row = Awaited<ReturnType<typeof repo.participantCellRows>>[number];
const cellId = (r: Row) => JSON.stringify([r.site_id, r.dose_group, r.visit_code]);
const rowId = (r: Row) => JSON.stringify([cellId(r), r.total, r.baseline, r.pct]);
const groupId = (r: Row) => JSON.stringify([r.site_id, r.dose_group]);

/**
 * Runs `refresh` (which rewrites the participant's scale_visit_total rows) and keeps the cells:
 * each cell a changed row left or entered is recomputed; the participant count of their site ×
 * dose group moves when they gain their first row or lose their last (or change group).
 */
export async function keepCohortCells(
	trx: Executor,
	participantId: number,
	refresh: () => Promise<void>
): Promise<void> {
	const participant = await participantsRepo.findParticipant(trx, participantId);
	// A study without a protocol version has no cohort to count.
	if (!participant || !(await studiesRepo.findActiveProtocol(trx, participant.study_id))) {
		return refresh();
	}
	const rule = cohortRule((await activeProtocol(trx, participant.study_id)).protocol);
	const before = await repo.participantCellRows(trx, participantId, rule.instrument);
	await refresh();
	const after = await repo.participantCellRows(trx, participantId, rule.instrument);
	const unchanged = new Set(before.map(rowId).filter((id) => after.some((r) => rowId(r) === id)));
	const touched = new Map<string, repo.CellKey>();
	for (const r of [...before, ...after]) {
		if (!unchanged.has(rowId(r))) touched.set(cellId(r), r);
	}
	await repo.refreshCells(trx, participant.study_id, rule, [...touched.values()]);
	const was = before[0] && groupId(before[0]);
	const is = after[0] && groupId(after[0]);
	if (was === is) return;
	const cell = (r: Row) => ({
		study_id: participant.study_id,
		site_id: r.site_id,
		dose_group: r.dose_group,
		instrument: rule.instrument
	});
	if (before[0]) await repo.addParticipants(trx, cell(before[0]), -1);
	if (after[0]) await repo.addParticipants(trx, cell(after[0]), 1);
}

/** A study's cells under its active protocol (a version activated; a bulk load). */
export async function rebuildCohortCells(db: Executor, studyId: number): Promise<void> {
	const rule = cohortRule((await activeProtocol(db, studyId)).protocol);
	await repo.rebuildStudyCells(db, studyId, rule);
}

/** Every study's cells (a rebuild of every summary). */
export async function rebuildAllCohortCells(db: Executor): Promise<void> {
	await repo.clearCells(db);
	for (const study of await studiesRepo.listStudies(db)) {
		if (await studiesRepo.findActiveProtocol(db, study.id)) await rebuildCohortCells(db, study.id);
	}
}

// Keeps relapse_outcome: each write that can move a participant's time to relapse (their
// relapse-scale totals, relapse-event adverse events, dosing sessions, the participant) recomputes
// that participant's outcome under the study's active protocol in its own transaction; activating
// a version recomputes the study's. The cohort's curve then reads a small row per participant
// instead of every administration of the trial.
import type { Executor } from '../../db';
import * as repo from '../../repositories/relapse-outcomes';
import * as participantsRepo from '../../repositories/participants';
import * as studiesRepo from '../../repositories/studies';
import { activeProtocol } from '../protocol/studies';
import { relapseObservations } from './relapse-survival';

export async function keepRelapseOutcome(trx: Executor, participantId: number): Promise<void> {
	await repo.deleteOutcomes(trx, { participantId });
	const p = await participantsRepo.findParticipant(trx, participantId);
	if (!p || p.entered_in_error_at || !(await studiesRepo.findActiveProtocol(trx, p.study_id))) {
		return;
	}
	const { protocol } = await activeProtocol(trx, p.study_id);
	const scope = { studyId: p.study_id, siteIds: [p.site_id], doseGroup: null };
	const rows = await relapseObservations(trx, scope, protocol, participantId);
	await repo.insertOutcomes(
		trx,
		rows.map((o) => ({
			participant_id: o.participantId,
			study_id: p.study_id,
			site_id: p.site_id,
			dose_group: p.dose_group,
			weeks: o.weeks,
			event: o.event ? 1 : 0
		}))
	);
}

/** A study's outcomes under its active protocol (a version activated; a bulk load). */
export async function rebuildRelapseOutcomes(db: Executor, studyId: number): Promise<void> {
	await repo.deleteOutcomes(db, { studyId });
	const { protocol } = await activeProtocol(db, studyId);
	const rows = await relapseObservations(
		db,
		{ studyId, siteIds: 'all', doseGroup: null },
		protocol
	);
	const of = new Map((await repo.participantScopes(db, studyId)).map((p) => [p.id, p]));
	await repo.insertOutcomes(
		db,
		rows.map((o) => ({
			participant_id: o.participantId,
			study_id: studyId,
			site_id: of.get(o.participantId)!.site_id,
			dose_group: of.get(o.participantId)!.dose_group,
			weeks: o.weeks,
			event: o.event ? 1 : 0
		}))
	);
}

/** Every study's outcomes (a rebuild of every summary; the backfill after its migration). */
export async function rebuildAllRelapseOutcomes(db: Executor): Promise<void> {
	await repo.deleteOutcomes(db, 'all');
	for (const study of await studiesRepo.listStudies(db)) {
		if (await studiesRepo.findActiveProtocol(db, study.id)) {
			await rebuildRelapseOutcomes(db, study.id);
		}
	}
}

// Casebook freezes and study locks: the standing one is the row not yet lifted.
import type { Insertable } from 'kysely';
import type { Executor } from '../db';
import type { CasebookFreezeTable, StudyLockTable } from '../db/schema';
import { compiledOnce } from '../db/prepared';

const freezeOf = compiledOnce((db, participantId: number) =>
	db
		.selectFrom('casebook_freeze')
		.selectAll()
		.where('participant_id', '=', participantId)
		.where('unfrozen_at', 'is', null)
);

export async function standingFreeze(db: Executor, participantId: number) {
	return (await freezeOf(db, participantId))[0];
}

const lockOf = compiledOnce((db, studyId: number) =>
	db
		.selectFrom('study_lock')
		.selectAll()
		.where('study_id', '=', studyId)
		.where('unlocked_at', 'is', null)
);

export async function standingLock(db: Executor, studyId: number) {
	return (await lockOf(db, studyId))[0];
}

const blocksOf = compiledOnce((db, studyId: number, participantId: number) =>
	db.selectNoFrom((eb) => [
		eb
			.exists(
				eb
					.selectFrom('study_lock')
					.select('id')
					.where('study_id', '=', studyId)
					.where('unlocked_at', 'is', null)
			)
			.as('locked'),
		eb
			.exists(
				eb
					.selectFrom('casebook_freeze')
					.select('id')
					.where('participant_id', '=', participantId)
					.where('unfrozen_at', 'is', null)
			)
			.as('frozen')
	])
);

/** Whether the study stands locked and the participant's casebook frozen, in one statement. */
export async function writeBlocks(
	db: Executor,
	studyId: number,
	participantId: number
): Promise<{ locked: boolean; frozen: boolean }> {
	const [row] = await blocksOf(db, studyId, participantId);
	// SQLite answers 1 or 0, PostgreSQL true or false.
	return { locked: Boolean(row?.locked), frozen: Boolean(row?.frozen) };
}

/** The lock standing on any study (for pages that show one banner). */
export function anyStandingLock(db: Executor) {
	return db
		.selectFrom('study_lock')
		.innerJoin('study', 'study.id', 'study_lock.study_id')
		.selectAll('study_lock')
		.select('study.code as study_code')
		.where('unlocked_at', 'is', null)
		.orderBy('locked_at')
		.executeTakeFirst();
}

export async function insertFreeze(db: Executor, row: Insertable<CasebookFreezeTable>) {
	return db.insertInto('casebook_freeze').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function liftFreeze(
	db: Executor,
	id: number,
	by: number | null,
	at: string,
	reason: string
): Promise<void> {
	await db
		.updateTable('casebook_freeze')
		.set({ unfrozen_at: at, unfrozen_by: by, unfreeze_reason: reason })
		.where('id', '=', id)
		.execute();
}

export async function insertLock(db: Executor, row: Insertable<StudyLockTable>) {
	return db.insertInto('study_lock').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function liftLock(
	db: Executor,
	id: number,
	by: number | null,
	at: string,
	reason: string
): Promise<void> {
	await db
		.updateTable('study_lock')
		.set({ unlocked_at: at, unlocked_by: by, unlock_reason: reason })
		.where('id', '=', id)
		.execute();
}

/** Participants with a standing freeze, among these. */
export async function frozenAmong(db: Executor, participantIds: number[]): Promise<Set<number>> {
	if (participantIds.length === 0) return new Set();
	const rows = await db
		.selectFrom('casebook_freeze')
		.select('participant_id')
		.where('participant_id', 'in', participantIds)
		.where('unfrozen_at', 'is', null)
		.execute();
	return new Set(rows.map((r) => r.participant_id));
}

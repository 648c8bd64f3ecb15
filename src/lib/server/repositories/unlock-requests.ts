// Requests to unlock a locked study, and their decisions.
import type { Insertable } from 'kysely';
import type { Executor } from '../db';
import type { StudyUnlockRequest, StudyUnlockRequestTable } from '../db/schema';

/** The request waiting for a decision on this study, if any. */
export function pendingUnlockRequest(
	db: Executor,
	studyId: number
): Promise<StudyUnlockRequest | undefined> {
	return db
		.selectFrom('study_unlock_request')
		.selectAll()
		.where('study_id', '=', studyId)
		.where('decision', 'is', null)
		.orderBy('id', 'desc')
		.executeTakeFirst();
}

export function insertUnlockRequest(
	db: Executor,
	row: Insertable<StudyUnlockRequestTable>
): Promise<StudyUnlockRequest> {
	return db.insertInto('study_unlock_request').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function decideUnlockRequest(
	db: Executor,
	id: number,
	decision: {
		decision: 'approved' | 'declined';
		decided_at: string;
		decided_by: number | null;
		decided_by_label: string;
		decision_note: string | null;
	}
): Promise<void> {
	await db.updateTable('study_unlock_request').set(decision).where('id', '=', id).execute();
}

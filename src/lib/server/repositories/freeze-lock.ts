// Casebook freezes and study locks: the standing one is the row not yet lifted. Both tables have
// the same life (an owner, a time it was put on, three columns filled when it is lifted), so
// lifting either is written once over this map of their columns.
import type { Insertable } from 'kysely';
import type { Executor } from '../db';
import type { CasebookFreezeTable, StudyLockTable } from '../db/schema';
import { compiledOnce } from '../db/prepared';

const HOLDS = {
	casebook_freeze: {
		liftedAt: 'unfrozen_at',
		liftedBy: 'unfrozen_by',
		reason: 'unfreeze_reason'
	},
	study_lock: {
		liftedAt: 'unlocked_at',
		liftedBy: 'unlocked_by',
		reason: 'unlock_reason'
	}
} as const;
type Hold = keyof typeof HOLDS;

// The standing queries run on every write's freeze/lock check: compiled once (../db/prepared).
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

async function lift(
	db: Executor,
	table: Hold,
	id: number,
	by: number | null,
	at: string,
	reason: string
): Promise<void> {
	const c = HOLDS[table];
	await db
		.updateTable(table)
		.set({ [c.liftedAt]: at, [c.liftedBy]: by, [c.reason]: reason })
		.where('id', '=', id)
		.execute();
}

// Every signed-in page shows the banner, so this runs with each of them: compiled once.
const anyLock = compiledOnce((db) =>
	db
		.selectFrom('study_lock')
		.innerJoin('study', 'study.id', 'study_lock.study_id')
		.selectAll('study_lock')
		.select('study.code as study_code')
		.where('unlocked_at', 'is', null)
		.orderBy('locked_at')
		.limit(1)
);

/** The lock standing on any study (for pages that show one banner). */
export async function anyStandingLock(db: Executor) {
	return (await anyLock(db))[0];
}

export async function insertFreeze(db: Executor, row: Insertable<CasebookFreezeTable>) {
	return db.insertInto('casebook_freeze').values(row).returningAll().executeTakeFirstOrThrow();
}

export const liftFreeze = (
	db: Executor,
	id: number,
	by: number | null,
	at: string,
	reason: string
) => lift(db, 'casebook_freeze', id, by, at, reason);

export async function insertLock(db: Executor, row: Insertable<StudyLockTable>) {
	return db.insertInto('study_lock').values(row).returningAll().executeTakeFirstOrThrow();
}

export const liftLock = (db: Executor, id: number, by: number | null, at: string, reason: string) =>
	lift(db, 'study_lock', id, by, at, reason);

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

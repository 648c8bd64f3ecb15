// THE CONCEALED ALLOCATION LIST. Arms live only in allocation_slot and the seed that made them in
// randomisation_seed. Only services/trial/randomisation.ts, unblinding.ts and pharmacy.ts may
// import this file (tests/integration/blinding-doors.test.ts checks), so no page, API answer,
// export or log line for a blinded role can reach an arm.
import type { Insertable } from 'kysely';
import type { Executor } from '../db';
import type { AllocationSlotTable } from '../db/schema';

export function findSeed(db: Executor, studyId: number) {
	return db
		.selectFrom('randomisation_seed')
		.selectAll()
		.where('study_id', '=', studyId)
		.executeTakeFirst();
}

export async function insertSeed(
	db: Executor,
	row: { study_id: number; seed: string; algorithm: string; created_at: string }
): Promise<void> {
	await db.insertInto('randomisation_seed').values(row).execute();
}

export async function stratumSize(db: Executor, studyId: number, stratum: string): Promise<number> {
	const row = await db
		.selectFrom('allocation_slot')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('study_id', '=', studyId)
		.where('stratum', '=', stratum)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

export async function insertSlots(
	db: Executor,
	rows: Insertable<AllocationSlotTable>[]
): Promise<void> {
	if (rows.length > 0) await db.insertInto('allocation_slot').values(rows).execute();
}

/** The stratum's next free slot in list order. */
export function nextFreeSlot(db: Executor, studyId: number, stratum: string) {
	return db
		.selectFrom('allocation_slot')
		.selectAll()
		.where('study_id', '=', studyId)
		.where('stratum', '=', stratum)
		.where('participant_id', 'is', null)
		.orderBy('sequence')
		.limit(1)
		.executeTakeFirst();
}

/** Takes a slot; the `participant_id is null` guard makes a second taker update nothing. */
export async function takeSlot(
	db: Executor,
	slotId: number,
	participantId: number
): Promise<boolean> {
	const result = await db
		.updateTable('allocation_slot')
		.set({ participant_id: participantId })
		.where('id', '=', slotId)
		.where('participant_id', 'is', null)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

export function slotOfParticipant(db: Executor, participantId: number) {
	return db
		.selectFrom('allocation_slot')
		.select(['arm', 'kit', 'stratum'])
		.where('participant_id', '=', participantId)
		.executeTakeFirst();
}

/** Every assigned slot at these sites ('all': every site), for the pharmacy. */
export function assignedSlots(db: Executor, studyId: number, siteIds: number[] | 'all') {
	let q = db
		.selectFrom('allocation_slot as a')
		.innerJoin('participant as p', 'p.id', 'a.participant_id')
		.innerJoin('randomisation as r', 'r.participant_id', 'p.id')
		.select([
			'p.id as participant_id',
			'p.subject_code',
			'p.site_id',
			'a.arm',
			'a.kit',
			'a.stratum',
			'r.randomised_at',
			'r.unblinded_at'
		])
		.where('a.study_id', '=', studyId);
	if (siteIds !== 'all') q = q.where('p.site_id', 'in', siteIds.length ? siteIds : [-1]);
	return q.orderBy('p.subject_code').execute();
}

/** Arms by participant, for the unblinded analyses (blinding integrity, Kaplan–Meier by arm). */
export function armsOfStudy(db: Executor, studyId: number) {
	return db
		.selectFrom('allocation_slot')
		.select(['participant_id', 'arm'])
		.where('study_id', '=', studyId)
		.where('participant_id', 'is not', null)
		.execute();
}

/** Every slot of every list, in list order: for `audit verify`'s check against the trail only. */
export function allSlots(db: Executor) {
	return db
		.selectFrom('allocation_slot')
		.selectAll()
		.orderBy('study_id')
		.orderBy('stratum')
		.orderBy('sequence')
		.execute();
}

/** Every study's seed: for `audit verify`'s check against the trail only. */
export function allSeeds(db: Executor) {
	return db.selectFrom('randomisation_seed').selectAll().execute();
}

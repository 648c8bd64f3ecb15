import type { Insertable, Updateable } from 'kysely';
import type { Executor } from '../db';
import type { ScaleAdministration, ScaleAdministrationTable } from '../db/schema';
import type { ScaleId } from '../../domain/scales';

/** An administration with the code and label of its visit (null when given outside a visit). */
export type ScaleAdministrationRow = ScaleAdministration & {
	visit_code: string | null;
	visit_label: string | null;
};

function withVisit(db: Executor) {
	return db
		.selectFrom('scale_administration as s')
		.leftJoin('visit as v', 'v.id', 's.visit_id')
		.selectAll('s')
		.select(['v.visit_code as visit_code', 'v.label as visit_label']);
}

export function findScaleAdministration(
	db: Executor,
	id: number
): Promise<ScaleAdministrationRow | undefined> {
	return withVisit(db).where('s.id', '=', id).executeTakeFirst();
}

/** A participant's administrations in the order they were given. */
export function listScaleAdministrationsOfParticipant(
	db: Executor,
	participantId: number,
	f: { instrument?: ScaleId; includeEnteredInError?: boolean } = {}
): Promise<ScaleAdministrationRow[]> {
	let q = withVisit(db)
		.where('s.participant_id', '=', participantId)
		.orderBy('s.administered_at')
		.orderBy('s.id');
	if (f.instrument !== undefined) q = q.where('s.instrument', '=', f.instrument);
	if (!f.includeEnteredInError) q = q.where('s.entered_in_error_at', 'is', null);
	return q.execute();
}

export function insertScaleAdministration(
	db: Executor,
	row: Insertable<ScaleAdministrationTable>
): Promise<ScaleAdministration> {
	return db.insertInto('scale_administration').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateScaleAdministration(
	db: Executor,
	id: number,
	changes: Updateable<ScaleAdministrationTable>
): Promise<void> {
	await db
		.updateTable('scale_administration')
		.set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
		.where('id', '=', id)
		.execute();
}

/** T0 of the participant's first dosing session still standing, if any was recorded. */
export async function firstDosingT0(db: Executor, participantId: number): Promise<string | null> {
	const row = await db
		.selectFrom('dosing_session')
		.select('t0')
		.where('participant_id', '=', participantId)
		.where('entered_in_error_at', 'is', null)
		.orderBy('t0')
		.limit(1)
		.executeTakeFirst();
	return row?.t0 ?? null;
}

/** The participant's first dosing visit by schedule order, if one is scheduled. */
export function firstDosingVisit(
	db: Executor,
	participantId: number
): Promise<{ planned_on: string | null; actual_on: string | null } | undefined> {
	return db
		.selectFrom('visit')
		.select(['planned_on', 'actual_on'])
		.where('participant_id', '=', participantId)
		.where('kind', '=', 'dosing')
		.where('entered_in_error_at', 'is', null)
		.orderBy('sequence')
		.limit(1)
		.executeTakeFirst();
}

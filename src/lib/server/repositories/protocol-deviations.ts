// Protocol deviations: one query per function.
import type { Insertable, Updateable } from 'kysely';
import type { Executor } from '../db';
import type { ProtocolDeviation, ProtocolDeviationTable } from '../db/schema';

export function insertDeviation(
	db: Executor,
	row: Insertable<ProtocolDeviationTable>
): Promise<ProtocolDeviation> {
	return db.insertInto('protocol_deviation').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findDeviation(db: Executor, id: number): Promise<ProtocolDeviation | undefined> {
	return db.selectFrom('protocol_deviation').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateDeviation(
	db: Executor,
	id: number,
	changes: Updateable<ProtocolDeviationTable>
): Promise<void> {
	await db
		.updateTable('protocol_deviation')
		.set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
		.where('id', '=', id)
		.execute();
}

export interface DeviationListRow extends ProtocolDeviation {
	subject_code: string;
	site_code: string;
	timezone: string;
	recorded_by_name: string | null;
}

/** Deviations at these sites (or of one participant, or one by id), newest first, entered-in-error ones too. */
export function listDeviations(
	db: Executor,
	f: { siteIds: number[] | 'all'; participantId?: number; studyId?: number; id?: number }
): Promise<DeviationListRow[]> {
	if (f.siteIds !== 'all' && f.siteIds.length === 0) return Promise.resolve([]);
	let q = db
		.selectFrom('protocol_deviation as d')
		.innerJoin('participant as p', 'p.id', 'd.participant_id')
		.innerJoin('site as s', 's.id', 'd.site_id')
		.leftJoin('user as u', 'u.id', 'd.created_by')
		.selectAll('d')
		.select(['p.subject_code', 's.code as site_code', 's.timezone', 'u.name as recorded_by_name'])
		.where('p.entered_in_error_at', 'is', null)
		.orderBy('d.occurred_at', 'desc')
		.orderBy('d.id', 'desc');
	if (f.siteIds !== 'all') q = q.where('d.site_id', 'in', f.siteIds);
	if (f.participantId !== undefined) q = q.where('d.participant_id', '=', f.participantId);
	if (f.studyId !== undefined) q = q.where('d.study_id', '=', f.studyId);
	if (f.id !== undefined) q = q.where('d.id', '=', f.id);
	return q.execute();
}

import type { Insertable, Updateable } from 'kysely';
import type { Executor } from '../db';
import type { Visit, VisitTable } from '../db/schema';

export function listVisitsOfParticipant(db: Executor, participantId: number): Promise<Visit[]> {
	return db
		.selectFrom('visit')
		.selectAll()
		.where('participant_id', '=', participantId)
		.orderBy('sequence')
		.execute();
}

export function findVisit(db: Executor, id: number): Promise<Visit | undefined> {
	return db.selectFrom('visit').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertVisits(db: Executor, visits: Insertable<VisitTable>[]): Promise<void> {
	if (visits.length > 0) await db.insertInto('visit').values(visits).execute();
}

export async function updateVisit(
	db: Executor,
	id: number,
	changes: Updateable<VisitTable>
): Promise<void> {
	await db
		.updateTable('visit')
		.set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
		.where('id', '=', id)
		.execute();
}

export interface OverdueVisitRow {
	id: number;
	participant_id: number;
	subject_code: string;
	site_id: number;
	visit_code: string;
	label: string;
	planned_on: string | null;
	window_end: string | null;
}

/** Scheduled visits whose window closed before `today`, for participants still on study. */
/** Open visits of enrolled participants whose window closed before `today`. */
function overdueVisits(
	db: Executor,
	f: { siteIds: number[] | 'all'; today: string; siteId?: number }
) {
	let q = db
		.selectFrom('visit')
		.innerJoin('participant', 'participant.id', 'visit.participant_id')
		.where('visit.status', '=', 'scheduled')
		.where('visit.window_end', '<', f.today)
		.where('participant.status', '=', 'enrolled')
		.where('participant.entered_in_error_at', 'is', null);
	if (f.siteIds !== 'all') q = q.where('visit.site_id', 'in', f.siteIds.length ? f.siteIds : [-1]);
	if (f.siteId !== undefined) q = q.where('visit.site_id', '=', f.siteId);
	return q;
}

/**
 * A page of overdue visits, oldest window first, after the keyset cursor (window end, visit id)
 * when one is given.
 */
export function overdueVisitsPage(
	db: Executor,
	f: { siteIds: number[] | 'all'; today: string; siteId?: number },
	page: { after: { windowEnd: string; id: number } | null; limit: number }
): Promise<OverdueVisitRow[]> {
	const after = page.after;
	return overdueVisits(db, f)
		.select([
			'visit.id',
			'visit.participant_id',
			'participant.subject_code',
			'visit.site_id',
			'visit.visit_code',
			'visit.label',
			'visit.planned_on',
			'visit.window_end'
		])
		.$if(after !== null, (q) =>
			q.where((eb) =>
				eb.or([
					eb('visit.window_end', '>', after!.windowEnd),
					eb.and([eb('visit.window_end', '=', after!.windowEnd), eb('visit.id', '>', after!.id)])
				])
			)
		)
		.orderBy('visit.window_end')
		.orderBy('visit.id')
		.limit(page.limit)
		.execute();
}

export async function countOverdueVisits(
	db: Executor,
	f: { siteIds: number[] | 'all'; today: string; siteId?: number }
): Promise<number> {
	const row = await overdueVisits(db, f)
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

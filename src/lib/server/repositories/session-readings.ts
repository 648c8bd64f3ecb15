// Cheap change detection for a dosing session's live chart: one row of aggregates over its readings,
// the session itself and its flags. Any save, correction, entry in error or flag step changes it.
import type { Executor } from '../db';

export async function sessionFingerprint(db: Executor, sessionId: number): Promise<string> {
	const row = await db
		.selectFrom('dosing_session as s')
		.where('s.id', '=', sessionId)
		.select((eb) => [
			's.version',
			eb
				.selectFrom('vital_reading as r')
				.whereRef('r.dosing_session_id', '=', 's.id')
				.select((r) => r.fn.countAll<number>().as('n'))
				.as('readings'),
			eb
				.selectFrom('vital_reading as r')
				.whereRef('r.dosing_session_id', '=', 's.id')
				.select((r) => r.fn.max(r.fn.coalesce('r.updated_at', 'r.created_at')).as('at'))
				.as('readingsAt'),
			eb
				.selectFrom('vital_reading as r')
				.whereRef('r.dosing_session_id', '=', 's.id')
				.select((r) => r.fn.max('r.id').as('id'))
				.as('lastReading'),
			eb
				.selectFrom('flag as f')
				.whereRef('f.dosing_session_id', '=', 's.id')
				.select((f) => f.fn.countAll<number>().as('n'))
				.as('flags'),
			eb
				.selectFrom('flag as f')
				.whereRef('f.dosing_session_id', '=', 's.id')
				.select((f) => f.fn.max('f.changed_at').as('at'))
				.as('flagsAt')
		])
		.executeTakeFirst();
	if (!row) return 'gone';
	return [row.version, row.readings, row.readingsAt, row.lastReading, row.flags, row.flagsAt].join(
		'|'
	);
}

import type { Insertable, Updateable } from 'kysely';
import type { Executor } from '../db';
import type {
	DosingSession,
	DosingSessionTable,
	VitalReading,
	VitalReadingTable
} from '../db/schema';
import { compiledOnce } from '../db/prepared';

const sessionById = compiledOnce((db, id: number) =>
	db.selectFrom('dosing_session').selectAll().where('id', '=', id)
);

export async function findDosingSession(
	db: Executor,
	id: number
): Promise<DosingSession | undefined> {
	return (await sessionById(db, id))[0];
}

export function listSessionsOfParticipant(
	db: Executor,
	participantId: number,
	includeEnteredInError = false
): Promise<DosingSession[]> {
	let q = db
		.selectFrom('dosing_session')
		.selectAll()
		.where('participant_id', '=', participantId)
		.orderBy('t0');
	if (!includeEnteredInError) q = q.where('entered_in_error_at', 'is', null);
	return q.execute();
}

export function findSessionForVisit(
	db: Executor,
	visitId: number
): Promise<DosingSession | undefined> {
	return db
		.selectFrom('dosing_session')
		.selectAll()
		.where('visit_id', '=', visitId)
		.where('entered_in_error_at', 'is', null)
		.executeTakeFirst();
}

export function insertDosingSession(
	db: Executor,
	s: Insertable<DosingSessionTable>
): Promise<DosingSession> {
	return db.insertInto('dosing_session').values(s).returningAll().executeTakeFirstOrThrow();
}

export async function updateDosingSession(
	db: Executor,
	id: number,
	changes: Updateable<DosingSessionTable>
): Promise<void> {
	await db
		.updateTable('dosing_session')
		.set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
		.where('id', '=', id)
		.execute();
}

const readingsOf = (db: Executor, sessionId: number) =>
	db
		.selectFrom('vital_reading')
		.selectAll()
		.where('dosing_session_id', '=', sessionId)
		.orderBy('measured_at')
		.orderBy('id');
const everyReading = compiledOnce(readingsOf);
const readingsInEffect = compiledOnce((db, sessionId: number) =>
	readingsOf(db, sessionId).where('entered_in_error_at', 'is', null)
);

export function listReadings(
	db: Executor,
	sessionId: number,
	includeEnteredInError = true
): Promise<VitalReading[]> {
	return (includeEnteredInError ? everyReading : readingsInEffect)(db, sessionId);
}

export function findReading(db: Executor, id: number): Promise<VitalReading | undefined> {
	return db.selectFrom('vital_reading').selectAll().where('id', '=', id).executeTakeFirst();
}

const newReading = compiledOnce((db, r: Insertable<VitalReadingTable>) =>
	db.insertInto('vital_reading').values(r).returningAll()
);

export async function insertReading(
	db: Executor,
	r: Insertable<VitalReadingTable>
): Promise<VitalReading> {
	const [reading] = await newReading(db, r);
	if (!reading) throw new Error('The reading was not stored');
	return reading;
}

export async function updateReading(
	db: Executor,
	id: number,
	changes: Updateable<VitalReadingTable>
): Promise<void> {
	await db
		.updateTable('vital_reading')
		.set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
		.where('id', '=', id)
		.execute();
}

/** When these readings were measured and when the server received them (created_at). */
export function listReadingTimes(
	db: Executor,
	ids: readonly number[]
): Promise<Array<Pick<VitalReading, 'id' | 'site_id' | 'measured_at' | 'created_at'>>> {
	if (ids.length === 0) return Promise.resolve([]);
	return db
		.selectFrom('vital_reading')
		.select(['id', 'site_id', 'measured_at', 'created_at'])
		.where('id', 'in', [...ids])
		.execute();
}

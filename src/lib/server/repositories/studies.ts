import type { Executor } from '../db';
import type { ProtocolVersion, Study } from '../db/schema';
import { compiledOnce } from '../db/prepared';

export function listStudies(db: Executor): Promise<Study[]> {
	return db.selectFrom('study').selectAll().orderBy('code').execute();
}

export function findStudyByCode(db: Executor, code: string): Promise<Study | undefined> {
	return db.selectFrom('study').selectAll().where('code', '=', code).executeTakeFirst();
}

const studyById = compiledOnce((db, id: number) =>
	db.selectFrom('study').selectAll().where('id', '=', id)
);

export async function findStudyById(db: Executor, id: number): Promise<Study | undefined> {
	return (await studyById(db, id))[0];
}

export function insertStudy(
	db: Executor,
	s: { code: string; title: string; created_at: string }
): Promise<Study> {
	return db.insertInto('study').values(s).returningAll().executeTakeFirstOrThrow();
}

const activeVersion = compiledOnce((db, studyId: number) =>
	db
		.selectFrom('protocol_version')
		.selectAll()
		.where('study_id', '=', studyId)
		.where('is_active', '=', 1)
);

const activeOfStudy = compiledOnce((db, studyId: number) =>
	db
		.selectFrom('protocol_version')
		.innerJoin('study', 'study.id', 'protocol_version.study_id')
		.select(['protocol_version.id', 'protocol_version.definition'])
		.where('protocol_version.study_id', '=', studyId)
		.where('protocol_version.is_active', '=', 1)
);

/** The active version's id and text, when the study exists and has one (one statement). */
export async function findActiveDefinition(
	db: Executor,
	studyId: number
): Promise<{ id: number; definition: string } | undefined> {
	return (await activeOfStudy(db, studyId))[0];
}

export async function findActiveProtocol(
	db: Executor,
	studyId: number
): Promise<ProtocolVersion | undefined> {
	return (await activeVersion(db, studyId))[0];
}

export function findProtocolVersion(
	db: Executor,
	studyId: number,
	version: string
): Promise<ProtocolVersion | undefined> {
	return db
		.selectFrom('protocol_version')
		.selectAll()
		.where('study_id', '=', studyId)
		.where('version', '=', version)
		.executeTakeFirst();
}

export function insertProtocolVersion(
	db: Executor,
	p: { study_id: number; version: string; definition: string; loaded_at: string; loaded_by: string }
): Promise<ProtocolVersion> {
	return db.insertInto('protocol_version').values(p).returningAll().executeTakeFirstOrThrow();
}

export async function activateProtocolVersion(
	db: Executor,
	studyId: number,
	id: number,
	at: string
): Promise<void> {
	await db
		.updateTable('protocol_version')
		.set({ is_active: 0 })
		.where('study_id', '=', studyId)
		.execute();
	await db
		.updateTable('protocol_version')
		.set({ is_active: 1, activated_at: at })
		.where('id', '=', id)
		.execute();
}

// For a page of audit entries, the subject and place of each record they touch: one bounded
// query per record type (ids of that page only).
import type { Executor } from '../../db';
import type { AuditSource } from './audit-query';

export interface RecordContext {
	subjectKey: string;
	studyId: number;
	/** A reading's dosing session. */
	sessionId?: number;
	/** A scale administration's instrument. */
	instrument?: string;
}

export interface Target {
	type: string;
	id: number;
}

/** The record an entry is about: a signature entry is about the record signed. */
export function targetOf(e: AuditSource): Target | null {
	if (e.entity_type === 'signature') {
		const v = JSON.parse(e.new_values ?? '{}') as { entityType?: string; entityId?: number };
		return v.entityType && v.entityId ? { type: v.entityType, id: Number(v.entityId) } : null;
	}
	const id = Number(e.entity_id);
	return Number.isSafeInteger(id) ? { type: e.entity_type, id } : null;
}

export const contextKey = (t: Target) => `${t.type}:${t.id}`;

type Lookup = (db: Executor, ids: number[]) => Promise<Array<{ id: number } & RecordContext>>;

const participantCols = ['p.subject_code as subjectKey', 'p.study_id as studyId'] as const;

const LOOKUPS: Record<string, Lookup> = {
	participant: (db, ids) =>
		db
			.selectFrom('participant as p')
			.select(['p.id', ...participantCols])
			.where('p.id', 'in', ids)
			.limit(ids.length)
			.execute(),
	dosing_session: (db, ids) =>
		db
			.selectFrom('dosing_session as r')
			.innerJoin('participant as p', 'p.id', 'r.participant_id')
			.select(['r.id', ...participantCols])
			.where('r.id', 'in', ids)
			.limit(ids.length)
			.execute(),
	vital_reading: (db, ids) =>
		db
			.selectFrom('vital_reading as r')
			.innerJoin('participant as p', 'p.id', 'r.participant_id')
			.select(['r.id', 'r.dosing_session_id as sessionId', ...participantCols])
			.where('r.id', 'in', ids)
			.limit(ids.length)
			.execute(),
	adverse_event: (db, ids) =>
		db
			.selectFrom('adverse_event as r')
			.innerJoin('participant as p', 'p.id', 'r.participant_id')
			.select(['r.id', ...participantCols])
			.where('r.id', 'in', ids)
			.limit(ids.length)
			.execute(),
	scale_administration: (db, ids) =>
		db
			.selectFrom('scale_administration as r')
			.innerJoin('participant as p', 'p.id', 'r.participant_id')
			.select(['r.id', 'r.instrument', ...participantCols])
			.where('r.id', 'in', ids)
			.limit(ids.length)
			.execute()
};

export async function contextsFor(
	db: Executor,
	page: AuditSource[]
): Promise<Map<string, RecordContext>> {
	const ids = new Map<string, Set<number>>();
	for (const e of page) {
		const t = targetOf(e);
		if (!t || !LOOKUPS[t.type]) continue;
		if (!ids.has(t.type)) ids.set(t.type, new Set());
		ids.get(t.type)!.add(t.id);
	}
	const out = new Map<string, RecordContext>();
	for (const [type, set] of ids) {
		for (const { id, ...ctx } of await LOOKUPS[type]!(db, [...set])) {
			out.set(contextKey({ type, id }), ctx);
		}
	}
	return out;
}

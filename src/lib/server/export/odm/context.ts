// For a page of audit entries, the subject and place of each record they touch: one bounded
// query per record type (ids of that page only).
import type { Executor } from '../../db';
import type { VisitKind } from '../../../domain/protocol/codes';
import type { AuditSource } from './audit-query';
import type { AuditPayload } from '../../audit/payloads';

export interface RecordContext {
	subjectKey: string;
	studyId: number;
	/** A reading's dosing session. */
	sessionId?: number;
	/** A scale administration's instrument. */
	instrument?: string;
	/** The visit the record belongs to (a session's, a reading's session's, a scale's, its own). */
	visitCode?: string | null;
	visitKind?: VisitKind | null;
}

export interface Target {
	type: string;
	id: number;
}

/** The record an entry is about: a signature entry is about the record signed. */
export function targetOf(e: AuditSource): Target | null {
	if (e.entity_type === 'signature') {
		const v = JSON.parse(e.new_values ?? '{}') as AuditPayload<'signature'>;
		return v.entityType && v.entityId ? { type: v.entityType, id: Number(v.entityId) } : null;
	}
	const id = Number(e.entity_id);
	return Number.isSafeInteger(id) ? { type: e.entity_type, id } : null;
}

export const contextKey = (t: Target) => `${t.type}:${t.id}`;

type Lookup = (db: Executor, ids: number[]) => Promise<Array<{ id: number } & RecordContext>>;

const participantCols = ['p.subject_code as subjectKey', 'p.study_id as studyId'] as const;
const visitCols = ['v.visit_code as visitCode', 'v.kind as visitKind'] as const;

const LOOKUPS: Record<string, Lookup> = {
	participant: (db, ids) =>
		db
			.selectFrom('participant as p')
			.select(['p.id', ...participantCols])
			.where('p.id', 'in', ids)
			.limit(ids.length)
			.execute(),
	visit: (db, ids) =>
		db
			.selectFrom('visit as v')
			.innerJoin('participant as p', 'p.id', 'v.participant_id')
			.select(['v.id', ...visitCols, ...participantCols])
			.where('v.id', 'in', ids)
			.limit(ids.length)
			.execute(),
	dosing_session: (db, ids) =>
		db
			.selectFrom('dosing_session as r')
			.innerJoin('participant as p', 'p.id', 'r.participant_id')
			.leftJoin('visit as v', 'v.id', 'r.visit_id')
			.select(['r.id', ...visitCols, ...participantCols])
			.where('r.id', 'in', ids)
			.limit(ids.length)
			.execute(),
	vital_reading: (db, ids) =>
		db
			.selectFrom('vital_reading as r')
			.innerJoin('participant as p', 'p.id', 'r.participant_id')
			.innerJoin('dosing_session as ds', 'ds.id', 'r.dosing_session_id')
			.leftJoin('visit as v', 'v.id', 'ds.visit_id')
			.select(['r.id', 'r.dosing_session_id as sessionId', ...visitCols, ...participantCols])
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
			.leftJoin('visit as v', 'v.id', 'r.visit_id')
			.select(['r.id', 'r.instrument', ...visitCols, ...participantCols])
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

/** Entries that schedule or move a participant's visits name them by code, not by record. */
export const VISIT_PLAN_ACTIONS: readonly string[] = ['visit.schedule', 'visit.reschedule'];

/**
 * The kind of each visit of the participants a page's plan entries are about, keyed
 * `participantId:code`: read a bounded page at a time.
 */
export async function visitKindsFor(
	db: Executor,
	page: AuditSource[],
	pageSize: number
): Promise<Map<string, VisitKind>> {
	const ids = [
		...new Set(
			page.filter((e) => VISIT_PLAN_ACTIONS.includes(e.action)).map((e) => Number(e.entity_id))
		)
	].filter(Number.isSafeInteger);
	const out = new Map<string, VisitKind>();
	if (ids.length === 0) return out;
	let after = 0;
	for (;;) {
		const rows = await db
			.selectFrom('visit')
			.select(['id', 'participant_id', 'visit_code', 'kind'])
			.where('participant_id', 'in', ids)
			.where('id', '>', after)
			.orderBy('id')
			.limit(pageSize)
			.execute();
		for (const r of rows) out.set(`${r.participant_id}:${r.visit_code}`, r.kind);
		if (rows.length < pageSize) return out;
		after = rows.at(-1)!.id;
	}
}

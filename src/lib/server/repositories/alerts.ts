// On-call rosters and the e-mail alerts already sent.
import { sql, type Insertable } from 'kysely';
import type { Executor } from '../db';
import type { AlertSentTable, OnCall, OnCallTable } from '../db/schema';

export function insertOnCall(db: Executor, row: Insertable<OnCallTable>): Promise<OnCall> {
	return db.insertInto('on_call').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findOnCall(db: Executor, id: number): Promise<OnCall | undefined> {
	return db.selectFrom('on_call').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function removeOnCall(db: Executor, id: number, at: string): Promise<void> {
	await db.updateTable('on_call').set({ removed_at: at }).where('id', '=', id).execute();
}

/** A site's roster entries still standing that end after `after`, soonest first. */
export function rosterOf(db: Executor, siteId: number, after: string): Promise<OnCall[]> {
	return db
		.selectFrom('on_call')
		.selectAll()
		.where('site_id', '=', siteId)
		.where('removed_at', 'is', null)
		.where('ends_at', '>', after)
		.orderBy('starts_at')
		.orderBy('id')
		.execute();
}

/** E-mail addresses on call at the site at this instant. */
export async function onCallAt(db: Executor, siteId: number, at: string): Promise<string[]> {
	const rows = await db
		.selectFrom('on_call')
		.select('email')
		.distinct()
		.where('site_id', '=', siteId)
		.where('removed_at', 'is', null)
		.where('starts_at', '<=', at)
		.where('ends_at', '>', at)
		.execute();
	return rows.map((r) => r.email);
}

export interface FlagToAlert {
	id: number;
	site_id: number;
	level: string;
	rule_id: string;
	subject_code: string;
}

/**
 * Open flags not yet announced by this kind of alert: urgent ones raised since `since`, or (for
 * escalations) the escalated ones.
 */
export function flagsToAlert(
	db: Executor,
	kind: 'flag.urgent' | 'flag.escalated',
	since: string
): Promise<FlagToAlert[]> {
	let q = db
		.selectFrom('flag as f')
		.innerJoin('participant as p', 'p.id', 'f.participant_id')
		.select(['f.id', 'f.site_id', 'f.level', 'f.rule_id', 'p.subject_code'])
		.where('f.status', '!=', 'closed')
		.where(
			sql<boolean>`not exists (select 1 from alert_sent a where a.kind = ${kind} and a.entity_type = 'flag' and a.entity_id = f.id)`
		);
	q =
		kind === 'flag.urgent'
			? q.where('f.level', '=', 'urgent').where('f.raised_at', '>=', since)
			: q.where('f.escalated_at', 'is not', null).where('f.escalated_at', '>=', since);
	return q.orderBy('f.id').execute();
}

export async function alreadySent(
	db: Executor,
	kind: string,
	entityType: string,
	entityId: number
): Promise<boolean> {
	const row = await db
		.selectFrom('alert_sent')
		.select('id')
		.where('kind', '=', kind)
		.where('entity_type', '=', entityType)
		.where('entity_id', '=', entityId)
		.executeTakeFirst();
	return row !== undefined;
}

export async function recordSent(db: Executor, row: Insertable<AlertSentTable>): Promise<void> {
	await db
		.insertInto('alert_sent')
		.values(row)
		.onConflict((oc) => oc.columns(['kind', 'entity_type', 'entity_id']).doNothing())
		.execute();
}

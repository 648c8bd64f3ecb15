import { sql, type ExpressionBuilder, type Expression, type SqlBool } from 'kysely';
import { sqliteHandleOf, type Executor } from '../db';
import { jsonText, likeAnyCase } from '../db/portable';
import type { AuditAction, AuditEntityType, AuditEvent, DB } from '../db/schema';

export interface AuditFilter {
	siteIds: number[] | 'all';
	/** Include events with no site (sign-ins, user changes); admins and the operator only. */
	includeSiteless: boolean;
	/** Newest first, before this seq (the page), or oldest first after it (downloads). */
	beforeSeq?: number;
	afterSeq?: number;
	order?: 'desc' | 'asc';
	limit: number;
	siteId?: number;
	/** Participants whose own events and records' events are wanted ([] matches nothing). */
	participantIds?: number[];
	entity?: { type: string; id?: string };
	/** Part of the actor label (email for users), any case. */
	actor?: string;
	/** An exact action (any text: one outside the vocabulary matches nothing). */
	action?: string;
	/** A family's actions ('flag' is every 'flag.*'), from the vocabulary: [] matches nothing. */
	actions?: readonly AuditAction[];
	/** Inclusive UTC days, YYYY-MM-DD. */
	from?: string;
	to?: string;
}

type Eb = ExpressionBuilder<DB, 'audit_event'>;

/** Records that carry a participant_id, by the entity type their audit events use. */
const PARTICIPANT_RECORDS = [
	'visit',
	'dosing_session',
	'vital_reading',
	'adverse_event',
	'scale_administration',
	'flag'
] as const;
const SIGNED_RECORDS = ['dosing_session', 'adverse_event', 'scale_administration'] as const;

/** The participant's own events, their records' events, and the signatures of those records. */
function ofParticipants(ids: number[]) {
	if (ids.length === 0) return sql<SqlBool>`1 = 0`;
	const list = sql.join(ids);
	const owned = PARTICIPANT_RECORDS.map(
		(t) =>
			sql`(audit_event.entity_type = ${t} and audit_event.entity_id in (select cast(id as text) from ${sql.table(t)} where participant_id in (${list})))`
	);
	const signed = SIGNED_RECORDS.map(
		(t) =>
			sql`(s.entity_type = ${t} and s.entity_id in (select id from ${sql.table(t)} where participant_id in (${list})))`
	);
	return sql<SqlBool>`((audit_event.entity_type = 'participant' and audit_event.entity_id in (${sql.join(ids.map(String))}))
		or ${sql.join(owned, sql` or `)}
		or (audit_event.entity_type = 'signature' and audit_event.entity_id in
			(select cast(s.id as text) from signature s where ${sql.join(signed, sql` or `)})))`;
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
const nextDay = (day: string) =>
	new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

function sitesClause(eb: Eb, f: AuditFilter): Expression<SqlBool> {
	const { siteIds } = f;
	if (siteIds === 'all') return f.includeSiteless ? eb.lit(true) : eb('site_id', 'is not', null);
	const own = siteIds.length > 0 ? [eb('site_id', 'in', siteIds)] : [];
	const siteless = f.includeSiteless ? [eb('site_id', 'is', null)] : [];
	const any = [...own, ...siteless];
	return any.length > 0 ? eb.or(any) : eb.lit(false);
}

/** Every condition of the filter, ANDed: the scope first, then what the reader asked for. */
function where(db: Executor, eb: Eb, f: AuditFilter): Expression<SqlBool> {
	const all: Expression<SqlBool>[] = [sitesClause(eb, f)];
	if (f.beforeSeq !== undefined) all.push(eb('seq', '<', f.beforeSeq));
	if (f.afterSeq !== undefined) all.push(eb('seq', '>', f.afterSeq));
	if (f.siteId !== undefined) all.push(eb('site_id', '=', f.siteId));
	if (f.participantIds !== undefined) all.push(ofParticipants(f.participantIds));
	// A filter may name any text; one outside the vocabulary matches nothing.
	if (f.entity) all.push(eb('entity_type', '=', f.entity.type as AuditEntityType));
	if (f.entity?.id !== undefined) all.push(eb('entity_id', '=', f.entity.id));
	if (f.actor) all.push(likeAnyCase(db, 'actor_label', `%${likeEscape(f.actor)}%`));
	if (f.action !== undefined) all.push(eb('action', '=', f.action as AuditAction));
	if (f.actions) all.push(f.actions.length > 0 ? eb('action', 'in', f.actions) : eb.lit(false));
	if (f.from) all.push(eb('at', '>=', f.from));
	if (f.to) all.push(eb('at', '<', nextDay(f.to)));
	return eb.and(all);
}

export function listAuditEvents(db: Executor, f: AuditFilter): Promise<AuditEvent[]> {
	const order = f.order ?? 'desc';
	let q = db.selectFrom('audit_event').selectAll();
	const family = f.actions ?? [];
	if (family.length > 1) {
		// A page of each action from its own index in seq order (audit_event_action_seq_idx), then
		// the page of those: one IN over the family would gather all its events to sort them (a
		// rare family read the whole trail before; a common one, 943,000 flag events, would now).
		const arms = family.map((action, i) =>
			db
				.selectFrom((sub) =>
					sub
						.selectFrom('audit_event')
						.select('seq')
						.where((eb) => where(db, eb, { ...f, actions: undefined, action }))
						.orderBy('seq', order)
						.limit(f.limit)
						.as(`a${i}`)
				)
				.select('seq')
		);
		const seqs = arms.slice(1).reduce((u, arm) => u.unionAll(arm), arms[0]!);
		q = q.where('seq', 'in', seqs);
	} else {
		q = q.where((eb) => where(db, eb, f));
	}
	return q.orderBy('seq', order).limit(f.limit).execute();
}

/** Filtered events oldest first, one keyset page per query (CSV and bundle downloads). */
export async function* filteredEventsInOrder(
	db: Executor,
	f: Omit<AuditFilter, 'limit' | 'order' | 'afterSeq'>,
	pageSize = 500
): AsyncGenerator<AuditEvent> {
	let afterSeq = 0;
	for (;;) {
		const page = await listAuditEvents(db, { ...f, afterSeq, order: 'asc', limit: pageSize });
		for (const row of page) yield row;
		if (page.length < pageSize) return;
		afterSeq = page[page.length - 1]!.seq;
	}
}

/**
 * Events about a record's signatures and flags: signature events name the record in their new
 * values; flags name it as their source.
 */
export function relatedEvents(
	db: Executor,
	f: Pick<AuditFilter, 'siteIds' | 'includeSiteless'>,
	entity: { type: string; id: string },
	limit: number
): Promise<AuditEvent[]> {
	const numericId = Number(entity.id);
	return db
		.selectFrom('audit_event')
		.selectAll()
		.where((eb) => sitesClause(eb, { ...f, limit }))
		.where((eb) =>
			eb.or([
				eb.and([
					eb('entity_type', '=', 'signature'),
					sql<SqlBool>`${jsonText(db, 'new_values', 'entityType')} = ${entity.type}`,
					sql<SqlBool>`${jsonText(db, 'new_values', 'entityId')} = ${String(numericId)}`
				]),
				eb.and([
					eb('entity_type', '=', 'flag'),
					sql<SqlBool>`entity_id in (select cast(id as text) from flag where source_type = ${entity.type} and source_id = ${numericId})`
				])
			])
		)
		.orderBy('seq')
		.limit(limit)
		.execute();
}

/** The whole trail in order, a page at a time, so verification never holds it all in memory. */
export async function* auditEventsInOrder(
	db: Executor,
	pageSize = 1000,
	upToSeq?: number
): AsyncGenerator<AuditEvent> {
	for await (const page of auditEventPages(db, { pageSize, upToSeq })) yield* page;
}

/** The rows after `afterSeq` (up to `upToSeq`) in order, a page at a time. */
export async function* auditEventPages(
	db: Executor,
	opts: { afterSeq?: number; upToSeq?: number; pageSize?: number } = {}
): AsyncGenerator<AuditEvent[]> {
	const pageSize = opts.pageSize ?? 1000;
	let after = opts.afterSeq ?? 0;
	for (;;) {
		let q = db
			.selectFrom('audit_event')
			.selectAll()
			.where('seq', '>', after)
			.orderBy('seq')
			.limit(pageSize);
		if (opts.upToSeq !== undefined) q = q.where('seq', '<=', opts.upToSeq);
		const page = await q.execute();
		if (page.length > 0) yield page;
		if (page.length < pageSize) return;
		after = page[page.length - 1]!.seq;
	}
}

/**
 * The rows after `afterSeq` (up to `upToSeq`) in order, each as the values of `columns` in that
 * order, read by better-sqlite3 without a row object each; null when `db` is not a SQLite handle
 * (then auditEventPages). A whole trail's walk reads a quarter faster so (audit verify).
 */
export function auditEventValues(
	db: Executor,
	columns: readonly (keyof AuditEvent)[],
	opts: { afterSeq: number; upToSeq?: number }
): Iterable<unknown[]> | null {
	const sqlite = sqliteHandleOf(db);
	if (!sqlite) return null;
	const upTo = opts.upToSeq === undefined ? '' : ' and seq <= ?';
	const statement = sqlite
		.prepare(`select ${columns.join(', ')} from audit_event where seq > ?${upTo} order by seq`)
		.raw(true);
	const params = opts.upToSeq === undefined ? [opts.afterSeq] : [opts.afterSeq, opts.upToSeq];
	return statement.iterate(...params) as Iterable<unknown[]>;
}

/** The highest sequence number in the trail (0 when empty): where verification splits it. */
export async function lastAuditSeq(db: Executor): Promise<number> {
	const row = await db
		.selectFrom('audit_event')
		.select((eb) => eb.fn.max('seq').as('seq'))
		.executeTakeFirst();
	return Number(row?.seq ?? 0);
}

export function auditHead(db: Executor): Promise<{ seq: number; hash: string } | undefined> {
	return db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
}

/** The head with its signature (verification). */
export function signedAuditHead(db: Executor) {
	return db
		.selectFrom('audit_head')
		.select(['seq', 'hash', 'signature', 'key_fingerprint'])
		.where('id', '=', 1)
		.executeTakeFirst();
}

/** Participants with this subject code at these sites (a code is unique within a study). */
export async function participantIdsByCode(
	db: Executor,
	code: string,
	siteIds: number[] | 'all'
): Promise<number[]> {
	if (siteIds !== 'all' && siteIds.length === 0) return [];
	let q = db.selectFrom('participant').select('id').where('subject_code', '=', code);
	if (siteIds !== 'all') q = q.where('site_id', 'in', siteIds);
	return (await q.execute()).map((r) => r.id);
}

/** When this action on this record was last written to the trail (indexed by entity type and id). */
export async function lastAuditedAt(
	db: Executor,
	entity: { type: AuditEntityType; id: number },
	action: AuditAction
): Promise<string | null> {
	const row = await db
		.selectFrom('audit_event')
		.select('at')
		.where('entity_type', '=', entity.type)
		.where('entity_id', '=', String(entity.id))
		.where('action', '=', action)
		.orderBy('seq', 'desc')
		.limit(1)
		.executeTakeFirst();
	return row?.at ?? null;
}

// Appends to the hash-chained trail. Call only inside the write transaction that makes the change
// it records, so the two commit or fail together.
//
// The chain head (audit_head: the last row's seq and hash, signed) is read at a transaction's first
// append and written, and signed, once, as the transaction's last step before COMMIT: a save that
// appends its reading and the flags it raised signs one head, not one per row. What a committed
// transaction leaves is the same as signing at every append (the head names its last row and is
// signed by the key), and a transaction that fails leaves nothing, so the newest rows still cannot
// be cut, added or rewritten without the key (head-signature.ts). A transaction opened other than
// through writeTransaction writes and signs the head at every append, as before.
import type { Trx } from '../db';
import type { AuditAction, AuditEntityType } from './actions';
import type { AuditPayload } from './payloads';
import type { Actor } from '../runtime/context';
import { canonicalJson, chainHash, GENESIS_HASH, type ChainedFields } from './chain';
import { signHead } from './head-signature';
import { compiledOnce } from '../db/prepared';
import { writeScopeOf } from '../db/transaction';
import type { Insertable } from 'kysely';
import type { AuditEventTable } from '../db/schema';

// Every write appends here: these three statements are compiled once per database handle.
const readHead = compiledOnce((db, id: number) =>
	db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', id)
);
const insertEntry = compiledOnce((db, row: Insertable<AuditEventTable>) =>
	db.insertInto('audit_event').values(row)
);
const moveHead = compiledOnce(
	(
		db,
		seq: number,
		hash: string,
		signature: string | null,
		fingerprint: string | null,
		id: number
	) =>
		db
			.updateTable('audit_head')
			.set({ seq, hash, signature, key_fingerprint: fingerprint })
			.where('id', '=', id)
);

interface EntryOf<E extends AuditEntityType> {
	action: AuditAction;
	entityType: E;
	entityId: string | number | null;
	siteId?: number | null;
	/** The entity's payload (audit/payloads.ts): keys named one way, so its readers find them. */
	oldValues?: AuditPayload<E> | null;
	newValues?: AuditPayload<E> | null;
	/** Required by the calling service for any change after first save. */
	reason?: string | null;
}

/** One entry: its values are its entity's payload type. */
export type AuditEntry = { [E in AuditEntityType]: EntryOf<E> }[AuditEntityType];

export interface AuditWriter {
	actor: Actor;
	requestId: string | null;
	now: () => Date;
}

export function actorLabel(actor: Actor): { id: number | null; label: string; role: string } {
	switch (actor.kind) {
		case 'user':
			return { id: actor.id, label: actor.email, role: actor.role };
		case 'system':
			return { id: null, label: actor.label, role: 'system' };
		case 'anonymous':
			return { id: null, label: 'anonymous', role: 'anonymous' };
		case 'participant':
			return {
				id: null,
				label: `participant ${actor.subjectCode} (ePRO link ${actor.linkId})`,
				role: 'participant'
			};
	}
}

/** The chain head as this transaction's appends have left it; `stored`: audit_head has its row. */
interface Head {
	seq: number;
	hash: string;
	stored: boolean;
}

const HEAD = 'audit-head';

/** The head as stored, or as this write transaction's appends have moved it (not yet stored). */
async function currentHead(trx: Trx): Promise<Head> {
	const pending = writeScopeOf(trx)?.state.get(HEAD) as Head | undefined;
	if (pending) return pending;
	const [row] = await readHead(trx, 1);
	return row
		? { seq: row.seq, hash: row.hash, stored: true }
		: { seq: 0, hash: GENESIS_HASH, stored: false };
}

/**
 * The head as stored, read by a statement of this write transaction before any append (a session
 * write reads it with the session, repositories/session-write.ts): the first append then needs no
 * read of its own. Nothing but appends here changes audit_head, and within one write transaction
 * the write lock (BEGIN IMMEDIATE; PostgreSQL's advisory lock) keeps every other writer out, so it
 * is the head that read would give. Ignored outside a write transaction and once an append has
 * moved the head; null (no head stored yet) leaves the first append to read it.
 */
export function headAsRead(trx: Trx, head: { seq: number; hash: string } | null): void {
	if (!head) return;
	const scope = writeScopeOf(trx);
	if (!scope || scope.state.has(HEAD)) return;
	scope.state.set(HEAD, { seq: head.seq, hash: head.hash, stored: true } satisfies Head);
}

/** Stores the head, signed. */
async function storeHead(trx: Trx, head: Head): Promise<void> {
	const signed = signHead({ seq: head.seq, hash: head.hash });
	if (head.stored) {
		await moveHead(trx, head.seq, head.hash, signed.signature, signed.key_fingerprint, 1);
	} else {
		await trx
			.insertInto('audit_head')
			.values({ id: 1, seq: head.seq, hash: head.hash, ...signed })
			.execute();
	}
}

/**
 * The chain head (seq and hash) including this transaction's appends so far: what audit_head will
 * hold once it commits. Read the head inside a write transaction through this, not audit_head.
 */
export async function chainHeadNow(trx: Trx): Promise<{ seq: number; hash: string } | undefined> {
	const head = await currentHead(trx);
	return head.seq === 0 && !head.stored ? undefined : { seq: head.seq, hash: head.hash };
}

export async function appendAudit(
	trx: Trx,
	writer: AuditWriter,
	entry: AuditEntry
): Promise<number> {
	const head = await currentHead(trx);
	const who = actorLabel(writer.actor);
	const fields: ChainedFields = {
		seq: head.seq + 1,
		at: writer.now().toISOString(),
		actor_id: who.id,
		actor_label: who.label,
		actor_role: who.role,
		site_id: entry.siteId ?? null,
		action: entry.action,
		entity_type: entry.entityType,
		entity_id: entry.entityId === null ? null : String(entry.entityId),
		old_values: entry.oldValues === undefined ? null : canonicalJson(entry.oldValues),
		new_values: entry.newValues === undefined ? null : canonicalJson(entry.newValues),
		reason: entry.reason ?? null,
		request_id: writer.requestId,
		prev_hash: head.hash
	};
	const hash = chainHash(fields);
	await insertEntry(trx, { ...fields, action: entry.action, entity_type: entry.entityType, hash });
	const next: Head = { seq: fields.seq, hash, stored: head.stored };
	const scope = writeScopeOf(trx);
	if (scope) {
		// Stored and signed once, as the transaction's last step (see the head of this file).
		scope.state.set(HEAD, next);
		scope.beforeCommit(HEAD, () => storeHead(trx, scope.state.get(HEAD) as Head));
	} else {
		await storeHead(trx, next);
	}
	return fields.seq;
}

/** The changed fields only, old and new, for a readable trail. */
export function diff<T extends Record<string, unknown>>(
	before: T,
	after: Partial<T>
): { oldValues: Partial<T>; newValues: Partial<T> } | null {
	const oldValues: Partial<T> = {};
	const newValues: Partial<T> = {};
	for (const key of Object.keys(after) as Array<keyof T>) {
		if (after[key] === undefined) continue;
		if (canonicalJson(before[key]) !== canonicalJson(after[key])) {
			oldValues[key] = before[key];
			newValues[key] = after[key];
		}
	}
	return Object.keys(newValues).length === 0 ? null : { oldValues, newValues };
}

// Appends to the hash-chained trail. Call only inside the write transaction that makes the change
// it records, so the two commit or fail together.
import type { Trx } from '../db';
import type { AuditAction, AuditEntityType } from './actions';
import type { AuditPayload } from './payloads';
import type { Actor } from '../runtime/context';
import { canonicalJson, chainHash, GENESIS_HASH, type ChainedFields } from './chain';
import { signHead } from './head-signature';
import { compiledOnce } from '../db/prepared';
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

export async function appendAudit(
	trx: Trx,
	writer: AuditWriter,
	entry: AuditEntry
): Promise<number> {
	const [head] = await readHead(trx, 1);
	const who = actorLabel(writer.actor);
	const fields: ChainedFields = {
		seq: (head?.seq ?? 0) + 1,
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
		prev_hash: head?.hash ?? GENESIS_HASH
	};
	const hash = chainHash(fields);
	const signed = signHead({ seq: fields.seq, hash });
	await insertEntry(trx, { ...fields, action: entry.action, entity_type: entry.entityType, hash });
	if (head) {
		await moveHead(trx, fields.seq, hash, signed.signature, signed.key_fingerprint, 1);
	} else {
		await trx
			.insertInto('audit_head')
			.values({ id: 1, seq: fields.seq, hash, ...signed })
			.execute();
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

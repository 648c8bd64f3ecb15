// ePRO links: one query per function.
import type { Insertable } from 'kysely';
import type { Executor } from '../db';
import type { EproLinkRow, EproLinkTable } from '../db/schema';

export function insertLink(db: Executor, row: Insertable<EproLinkTable>): Promise<EproLinkRow> {
	return db.insertInto('epro_link').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findLinkByHash(db: Executor, tokenHash: string): Promise<EproLinkRow | undefined> {
	return db
		.selectFrom('epro_link')
		.selectAll()
		.where('token_hash', '=', tokenHash)
		.executeTakeFirst();
}

/** Marks the link used, only if nobody used it first; false when it was already used. */
export async function useLink(
	db: Executor,
	id: number,
	at: string,
	administrationId: number
): Promise<boolean> {
	const r = await db
		.updateTable('epro_link')
		.set({ used_at: at, scale_administration_id: administrationId })
		.where('id', '=', id)
		.where('used_at', 'is', null)
		.executeTakeFirst();
	return Number(r.numUpdatedRows) === 1;
}

export function listLinksOfParticipant(
	db: Executor,
	participantId: number
): Promise<EproLinkRow[]> {
	return db
		.selectFrom('epro_link')
		.selectAll()
		.where('participant_id', '=', participantId)
		.orderBy('id', 'desc')
		.execute();
}

export function findLink(db: Executor, id: number): Promise<EproLinkRow | undefined> {
	return db.selectFrom('epro_link').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Ends an unused link now (revoked); false when it was used (or ended) first. */
export async function expireLink(db: Executor, id: number, at: string): Promise<boolean> {
	const r = await db
		.updateTable('epro_link')
		.set({ expires_at: at })
		.where('id', '=', id)
		.where('used_at', 'is', null)
		.where('expires_at', '>', at)
		.executeTakeFirst();
	return Number(r.numUpdatedRows) === 1;
}

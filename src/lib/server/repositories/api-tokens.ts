import type { Executor } from '../db';
import type { ApiToken, User } from '../db/schema';

export function insertApiToken(
	db: Executor,
	token: Omit<ApiToken, 'id' | 'last_used_at' | 'revoked_at' | 'revoked_cause' | 'scope'> & {
		scope: string;
	}
): Promise<ApiToken> {
	return db.insertInto('api_token').values(token).returningAll().executeTakeFirstOrThrow();
}

export function listApiTokensOfUser(db: Executor, userId: number): Promise<ApiToken[]> {
	return db
		.selectFrom('api_token')
		.selectAll()
		.where('user_id', '=', userId)
		.orderBy('created_at', 'desc')
		.orderBy('id', 'desc')
		.execute();
}

export function findApiTokenOfUser(
	db: Executor,
	id: number,
	userId: number
): Promise<ApiToken | undefined> {
	return db
		.selectFrom('api_token')
		.selectAll()
		.where('id', '=', id)
		.where('user_id', '=', userId)
		.executeTakeFirst();
}

/** The token with this hash and its user, whatever their state (the caller judges). */
export async function findApiTokenWithUser(
	db: Executor,
	tokenHash: string
): Promise<{ token: ApiToken; user: User } | undefined> {
	const token = await db
		.selectFrom('api_token')
		.selectAll()
		.where('token_hash', '=', tokenHash)
		.executeTakeFirst();
	if (!token) return undefined;
	const user = await db
		.selectFrom('user')
		.selectAll()
		.where('id', '=', token.user_id)
		.executeTakeFirst();
	return user ? { token, user } : undefined;
}

export async function revokeApiToken(db: Executor, id: number, at: string): Promise<void> {
	await db
		.updateTable('api_token')
		.set({ revoked_at: at, revoked_cause: 'user' })
		.where('id', '=', id)
		.execute();
}

/** Revokes every live token of the user; returns their ids (the audit entry names them). */
export async function revokeApiTokensOfUser(
	db: Executor,
	userId: number,
	at: string,
	cause: string
): Promise<number[]> {
	const rows = await db
		.updateTable('api_token')
		.set({ revoked_at: at, revoked_cause: cause })
		.where('user_id', '=', userId)
		.where('revoked_at', 'is', null)
		.returning('id')
		.execute();
	return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
}

export async function touchApiToken(db: Executor, id: number, at: string): Promise<void> {
	await db.updateTable('api_token').set({ last_used_at: at }).where('id', '=', id).execute();
}

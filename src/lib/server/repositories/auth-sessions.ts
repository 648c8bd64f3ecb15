import type { Executor } from '../db';
import type { AuthSession, User } from '../db/schema';
import { compiledOnce } from '../db/prepared';

export async function insertSession(db: Executor, session: AuthSession): Promise<void> {
	await db.insertInto('auth_session').values(session).execute();
}

// Every request with a session cookie reads its session, user and second factor: compiled once
// (../db/prepared), in one statement, since building it each time cost more than running it.
const sessionWithUser = compiledOnce((db, id: string) =>
	db
		.selectFrom('auth_session')
		.innerJoin('user', 'user.id', 'auth_session.user_id')
		.leftJoin('user_totp', 'user_totp.user_id', 'auth_session.user_id')
		.selectAll('user')
		.select([
			'auth_session.id as session_id',
			'auth_session.created_at as session_created_at',
			'auth_session.last_active_at as session_last_active_at',
			'user_totp.enabled_at as totp_enabled_at'
		])
		.where('auth_session.id', '=', id)
);

export interface SessionWithUser {
	session: AuthSession;
	user: User;
	/** Whether the user has a second factor set up (an enabled authenticator). */
	secondFactorEnabled: boolean;
}

export async function findSessionWithUser(
	db: Executor,
	id: string
): Promise<SessionWithUser | undefined> {
	const row = (await sessionWithUser(db, id))[0];
	if (!row) return undefined;
	const { session_id, session_created_at, session_last_active_at, totp_enabled_at, ...user } = row;
	return {
		session: {
			id: session_id,
			user_id: user.id,
			created_at: session_created_at,
			last_active_at: session_last_active_at
		},
		user,
		secondFactorEnabled: !!totp_enabled_at
	};
}

export async function touchSession(db: Executor, id: string, at: number): Promise<void> {
	await db.updateTable('auth_session').set({ last_active_at: at }).where('id', '=', id).execute();
}

export async function deleteSession(db: Executor, id: string): Promise<void> {
	await db.deleteFrom('auth_session').where('id', '=', id).execute();
}

export async function deleteSessionsOfUser(db: Executor, userId: number): Promise<number> {
	const result = await db
		.deleteFrom('auth_session')
		.where('user_id', '=', userId)
		.executeTakeFirst();
	return Number(result.numDeletedRows);
}

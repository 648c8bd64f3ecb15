import type { Executor } from '../db';
import type { Session, User } from '../db/schema';

export async function insertSession(db: Executor, session: Session): Promise<void> {
	await db.insertInto('session').values(session).execute();
}

export function findSessionWithUser(
	db: Executor,
	id: string
): Promise<{ session: Session; user: User } | undefined> {
	return db
		.selectFrom('session')
		.innerJoin('user', 'user.id', 'session.user_id')
		.selectAll('user')
		.select([
			'session.id as session_id',
			'session.created_at as session_created_at',
			'session.last_active_at as session_last_active_at'
		])
		.where('session.id', '=', id)
		.executeTakeFirst()
		.then((row) => {
			if (!row) return undefined;
			const { session_id, session_created_at, session_last_active_at, ...user } = row;
			return {
				session: {
					id: session_id,
					user_id: user.id,
					created_at: session_created_at,
					last_active_at: session_last_active_at
				},
				user
			};
		});
}

export async function touchSession(db: Executor, id: string, at: number): Promise<void> {
	await db.updateTable('session').set({ last_active_at: at }).where('id', '=', id).execute();
}

export async function deleteSession(db: Executor, id: string): Promise<void> {
	await db.deleteFrom('session').where('id', '=', id).execute();
}

export async function deleteSessionsOfUser(db: Executor, userId: number): Promise<number> {
	const result = await db.deleteFrom('session').where('user_id', '=', userId).executeTakeFirst();
	return Number(result.numDeletedRows);
}

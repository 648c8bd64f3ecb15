import type { Executor } from '../db';
import type { NewUser, User, UserUpdate } from '../db/schema';
import { compiledOnce } from '../db/prepared';

export function findUserByEmail(db: Executor, email: string): Promise<User | undefined> {
	return db.selectFrom('user').selectAll().where('email', '=', email).executeTakeFirst();
}

export function findUserById(db: Executor, id: number): Promise<User | undefined> {
	return db.selectFrom('user').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listUsers(db: Executor): Promise<User[]> {
	return db.selectFrom('user').selectAll().orderBy('email').execute();
}

export function insertUser(db: Executor, user: NewUser): Promise<User> {
	return db.insertInto('user').values(user).returningAll().executeTakeFirstOrThrow();
}

export async function updateUser(db: Executor, id: number, changes: UserUpdate): Promise<void> {
	await db.updateTable('user').set(changes).where('id', '=', id).execute();
}

export async function recordFailedSignIn(db: Executor, id: number, at: number): Promise<void> {
	await db
		.updateTable('user')
		.set((eb) => ({ failed_sign_ins: eb('failed_sign_ins', '+', 1), last_failed_sign_in_at: at }))
		.where('id', '=', id)
		.execute();
}

// Read with every signed-in request (the session's actor): compiled once (../db/prepared).
const siteIdsOf = compiledOnce((db, userId: number) =>
	db.selectFrom('user_site').select('site_id').where('user_id', '=', userId).orderBy('site_id')
);

export async function siteIdsOfUser(db: Executor, userId: number): Promise<number[]> {
	return (await siteIdsOf(db, userId)).map((r) => r.site_id);
}

/** Every user's site codes, for listings. */
export function siteCodesByUser(db: Executor): Promise<Array<{ user_id: number; code: string }>> {
	return db
		.selectFrom('user_site')
		.innerJoin('site', 'site.id', 'user_site.site_id')
		.select(['user_site.user_id', 'site.code'])
		.orderBy('site.code')
		.execute();
}

export async function replaceUserSites(
	db: Executor,
	userId: number,
	siteIds: number[]
): Promise<void> {
	await db.deleteFrom('user_site').where('user_id', '=', userId).execute();
	if (siteIds.length > 0) {
		await db
			.insertInto('user_site')
			.values(siteIds.map((site_id) => ({ user_id: userId, site_id })))
			.execute();
	}
}

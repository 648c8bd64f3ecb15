// Sign-in sessions in which their user has signed with both components (21 CFR 11.200(a)(1)(i)).
import type { Executor } from '../db';

/** True when this sign-in session of this user already signed with user id and password. */
export async function hasSigned(db: Executor, sessionId: string, userId: number): Promise<boolean> {
	const row = await db
		.selectFrom('signing_session')
		.select('session_id')
		.where('session_id', '=', sessionId)
		.where('user_id', '=', userId)
		.executeTakeFirst();
	return row !== undefined;
}

/** Marks the session as having signed with both components (once). */
export async function markSigned(
	db: Executor,
	sessionId: string,
	userId: number,
	at: string
): Promise<void> {
	await db
		.insertInto('signing_session')
		.values({ session_id: sessionId, user_id: userId, started_at: at })
		.onConflict((oc) => oc.column('session_id').doNothing())
		.execute();
}

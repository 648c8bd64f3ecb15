// Personal API tokens on a real database: shown once, stored hashed, refused when revoked or the
// account cannot sign in, acting with exactly the user's current role and sites, and audited.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import type { ServiceContext, UserActor } from '../../src/lib/server/runtime/context';
import { ForbiddenError, NotFoundError } from '../../src/lib/server/runtime/errors';
import {
	authenticateApiToken,
	createApiToken,
	listApiTokens,
	revokeApiToken
} from '../../src/lib/server/services/people/api-tokens';
import {
	createParticipant,
	getParticipant,
	listParticipants
} from '../../src/lib/server/services/capture/participants';
import {
	createUser,
	disableUser,
	enableUser,
	resetPassword,
	updateUser
} from '../../src/lib/server/services/people/users';
import { changeOwnPassword, signOutEverywhere } from '../../src/lib/server/services/people/auth';
import { enrolledParticipant, freshDbEach, PASSWORD, type TestDb } from '../helpers/db';

let t: TestDb;
let counter = 0;
const T0 = new Date('2026-11-30T09:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

/** A user with their own password (a one-time password would pause their tokens). */
async function userWith(
	role: 'coordinator' | 'investigator' | 'admin' | 'auditor',
	sites: string[]
) {
	counter += 1;
	const email = `token-${role}${counter}@test.example`;
	const { user } = await createUser(
		t.system,
		{ email, name: `T ${counter}`, role, sites },
		PASSWORD
	);
	const siteIds = sites.map((code) => (code === 'A1' ? t.siteA : t.siteB));
	const actor: UserActor = { kind: 'user', id: user.id, email, name: user.name, role, siteIds };
	const ctx: ServiceContext = { db: t.db, actor, requestId: 'req', now: () => T0 };
	return { actor, ctx };
}

const ctxOf = (actor: UserActor): ServiceContext => ({
	db: t.db,
	actor,
	requestId: 'api',
	now: () => T0
});

const usesOf = (tokenId: number) =>
	t.db
		.selectFrom('audit_event')
		.selectAll()
		.where('action', '=', 'api_token.use')
		.where('entity_id', '=', String(tokenId))
		.execute();

freshDbEach((db) => (t = db));

describe('creating a token', () => {
	it('shows the token once and stores only its SHA-256', async () => {
		const { ctx } = await userWith('coordinator', ['A1']);
		const { token, apiToken } = await createApiToken(ctx, { name: '  Bed 3 monitor ' });
		expect(token).toMatch(/^vgl_[a-z2-7]{32}$/);
		expect(apiToken.name).toBe('Bed 3 monitor');
		const rows = await t.db.selectFrom('api_token').selectAll().execute();
		expect(rows).toHaveLength(1);
		expect(rows[0]!.token_hash).toBe(createHash('sha256').update(token, 'utf8').digest('hex'));
		expect(JSON.stringify(rows)).not.toContain(token.slice(4));
		const listed = await listApiTokens(ctx);
		expect(JSON.stringify(listed)).not.toContain(token.slice(4));
		expect(listed.map((x) => x.name)).toEqual(['Bed 3 monitor']);
		const trail = await t.db.selectFrom('audit_event').selectAll().execute();
		expect(trail.some((e) => e.action === 'api_token.create')).toBe(true);
		expect(JSON.stringify(trail)).not.toContain(token.slice(4));
	});

	it('gives a new token each time, and needs a name and a signed-in user', async () => {
		const { ctx } = await userWith('investigator', ['A1']);
		const a = await createApiToken(ctx, { name: 'one' });
		const b = await createApiToken(ctx, { name: 'two' });
		expect(a.token).not.toBe(b.token);
		await expect(createApiToken(ctx, { name: ' ' })).rejects.toMatchObject({
			status: 422,
			fieldErrors: { name: [expect.any(String)] }
		});
		await expect(createApiToken(t.system, { name: 'cli' })).rejects.toMatchObject({ status: 401 });
	});

	it('lists and revokes only your own tokens', async () => {
		const alice = await userWith('coordinator', ['A1']);
		const bob = await userWith('coordinator', ['A1']);
		const mine = await createApiToken(alice.ctx, { name: 'mine' });
		expect(await listApiTokens(bob.ctx)).toEqual([]);
		await expect(revokeApiToken(bob.ctx, mine.apiToken.id)).rejects.toBeInstanceOf(NotFoundError);
		expect(await authenticateApiToken(t.db, mine.token, T0)).not.toBeNull();
	});
});

describe('authenticating with a token', () => {
	it('acts as its user, and refuses unknown, malformed and revoked tokens', async () => {
		const { ctx, actor } = await userWith('coordinator', ['A1']);
		const { token, apiToken } = await createApiToken(ctx, { name: 'script' });
		expect(await authenticateApiToken(t.db, token, T0)).toEqual({ actor, scope: 'write' });
		expect(await authenticateApiToken(t.db, `vgl_${'a'.repeat(32)}`, T0)).toBeNull();
		expect(await authenticateApiToken(t.db, token.toUpperCase(), T0)).toBeNull();
		expect(await authenticateApiToken(t.db, '', T0)).toBeNull();
		const revoked = await revokeApiToken(ctx, apiToken.id);
		expect(revoked.revokedAt).toBe(T0.toISOString());
		expect(await authenticateApiToken(t.db, token, at(1))).toBeNull();
		const trail = await t.db.selectFrom('audit_event').select('action').execute();
		expect(trail.filter((e) => e.action === 'api_token.revoke')).toHaveLength(1);
	});

	it('dies with a disable, and stays dead after the account is enabled again', async () => {
		const { ctx, actor } = await userWith('coordinator', ['A1']);
		const { token } = await createApiToken(ctx, { name: 'script' });
		await disableUser(t.system, actor.id, { reason: 'left the site' });
		expect(await authenticateApiToken(t.db, token, at(1))).toBeNull();
		await enableUser(t.system, actor.id, { reason: 'came back' });
		expect(await authenticateApiToken(t.db, token, at(2))).toBeNull();
		const listed = await listApiTokens(ctx);
		expect(listed[0]!.revokedAt).not.toBeNull();
		// A new token works again.
		const fresh = await createApiToken(ctx, { name: 'new script' });
		expect(await authenticateApiToken(t.db, fresh.token, at(3))).not.toBeNull();
	});

	it('dies with an admin password reset, also once the new password is set', async () => {
		const { ctx, actor } = await userWith('coordinator', ['A1']);
		const { token } = await createApiToken(ctx, { name: 'script' });
		const oneTime = await resetPassword(t.system, actor.id, { reason: 'lost laptop' });
		expect(await authenticateApiToken(t.db, token, at(1))).toBeNull();
		await changeOwnPassword(ctx, {
			currentPassword: oneTime,
			newPassword: 'a fresh long passphrase 42',
			confirmPassword: 'a fresh long passphrase 42'
		});
		expect(await authenticateApiToken(t.db, token, at(2))).toBeNull();
	});

	it("dies with the user's own password change and with 'sign out everywhere'", async () => {
		const { ctx } = await userWith('coordinator', ['A1']);
		const first = await createApiToken(ctx, { name: 'one' });
		await changeOwnPassword(ctx, {
			currentPassword: PASSWORD,
			newPassword: 'new long passphrase 22',
			confirmPassword: 'new long passphrase 22'
		});
		expect(await authenticateApiToken(t.db, first.token, at(1))).toBeNull();
		const second = await createApiToken(ctx, { name: 'two' });
		expect(await authenticateApiToken(t.db, second.token, at(2))).not.toBeNull();
		expect(await signOutEverywhere(ctx)).toEqual({ tokensRevoked: 1 });
		expect(await authenticateApiToken(t.db, second.token, at(3))).toBeNull();
	});

	it('expires after the configured lifetime, and a read token is marked read', async () => {
		const { ctx } = await userWith('auditor', ['A1']);
		const made = await createApiToken(ctx, { name: 'nightly check', scope: 'read' }, 30);
		expect(made.apiToken.scope).toBe('read');
		expect(made.apiToken.expiresAt).toBe(new Date(T0.getTime() + 30 * 86_400_000).toISOString());
		const before = new Date(T0.getTime() + 30 * 86_400_000 - 1);
		expect((await authenticateApiToken(t.db, made.token, before))?.scope).toBe('read');
		const after = new Date(T0.getTime() + 30 * 86_400_000);
		expect(await authenticateApiToken(t.db, made.token, after)).toBeNull();
		const standard = await createApiToken(ctx, { name: 'default' });
		expect(standard.apiToken.expiresAt).toBe(
			new Date(T0.getTime() + 90 * 86_400_000).toISOString()
		);
	});

	it("is limited to its user's role and sites, as they are now", async () => {
		const own = await enrolledParticipant(t, 'A1');
		const other = await enrolledParticipant(t, 'B1');
		const coordinator = await userWith('coordinator', ['A1']);
		const { token } = await createApiToken(coordinator.ctx, { name: 'c' });
		const asCoordinator = ctxOf((await authenticateApiToken(t.db, token, T0))!.actor);
		expect((await listParticipants(asCoordinator)).map((p) => p.id)).toEqual([own.id]);
		await expect(getParticipant(asCoordinator, other.id)).rejects.toBeInstanceOf(NotFoundError);

		await updateUser(t.system, coordinator.actor.id, {
			name: 'moved',
			role: 'coordinator',
			sites: ['B1'],
			reason: 'moved to site B'
		});
		const moved = ctxOf((await authenticateApiToken(t.db, token, at(1)))!.actor);
		expect(moved.actor).toMatchObject({ siteIds: [t.siteB] });
		await expect(getParticipant(moved, own.id)).rejects.toBeInstanceOf(NotFoundError);

		const investigator = await userWith('investigator', ['A1']);
		const inv = await createApiToken(investigator.ctx, { name: 'i' });
		const asInvestigator = ctxOf((await authenticateApiToken(t.db, inv.token, T0))!.actor);
		expect(asInvestigator.actor).toMatchObject({ role: 'investigator' });
		await expect(
			createParticipant(
				asInvestigator,
				{ studyId: t.studyId, siteId: t.siteA },
				{ subjectCode: 'A1-901', sex: 'F', birthYear: 1980, doseGroup: 'x', status: 'screening' }
			)
		).rejects.toBeInstanceOf(ForbiddenError);
	});
});

describe('auditing token use', () => {
	it('records last use every time and audits at most once a minute per token', async () => {
		const { ctx } = await userWith('coordinator', ['A1']);
		const first = await createApiToken(ctx, { name: 'monitor' });
		const second = await createApiToken(ctx, { name: 'script' });
		const use = { requestId: 'r1', method: 'GET', path: '/api/v1/participants' };
		await authenticateApiToken(t.db, first.token, at(0), use);
		await authenticateApiToken(t.db, first.token, at(30));
		await authenticateApiToken(t.db, second.token, at(31));
		await authenticateApiToken(t.db, first.token, at(59));
		let row = await t.db
			.selectFrom('api_token')
			.selectAll()
			.where('name', '=', 'monitor')
			.execute();
		expect(row[0]!.last_used_at).toBe(at(59).toISOString());
		expect(await usesOf(first.apiToken.id)).toHaveLength(1);
		expect(await usesOf(second.apiToken.id)).toHaveLength(1);

		await authenticateApiToken(t.db, first.token, at(60));
		await authenticateApiToken(t.db, first.token, at(90));
		const uses = await usesOf(first.apiToken.id);
		expect(uses.map((u) => u.at)).toEqual([at(0).toISOString(), at(60).toISOString()]);
		expect(uses[0]).toMatchObject({
			actor_id: ctx.actor.kind === 'user' ? ctx.actor.id : -1,
			actor_role: 'coordinator',
			request_id: 'r1'
		});
		expect(JSON.parse(uses[0]!.new_values!)).toEqual({
			name: 'monitor',
			method: 'GET',
			path: '/api/v1/participants'
		});
		row = await t.db.selectFrom('api_token').selectAll().where('name', '=', 'monitor').execute();
		expect(row[0]!.last_used_at).toBe(at(90).toISOString());
	});

	it('does not audit a refused token', async () => {
		const { ctx } = await userWith('coordinator', ['A1']);
		const { token, apiToken } = await createApiToken(ctx, { name: 'gone' });
		await revokeApiToken(ctx, apiToken.id);
		await authenticateApiToken(t.db, token, at(5));
		expect(await usesOf(apiToken.id)).toHaveLength(0);
	});
});

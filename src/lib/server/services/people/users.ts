// User accounts: admins (and the CLI operator) create, change, disable and reset them.
import { revokeApiTokensOfUser } from '../../repositories/api-tokens';
import { AUDIT_ACTIONS } from '../../audit/actions';
import { sha256Hex } from '../../audit/chain';
import { appendAudit, diff } from '../../audit/log';
import { hashPassword } from '../../auth/password';
import { passwordProblems } from '../../auth/policy';
import { requireRole } from '../../auth/access';
import { generateOneTimePassword } from '../../auth/token';
import type { ServiceContext } from '../../runtime/context';
import type { Executor } from '../../db';
import type { User } from '../../db/schema';
import { writeTransaction } from '../../db/transaction';
import { ConflictError, NotFoundError, ValidationError } from '../../runtime/errors';
import * as sessions from '../../repositories/auth-sessions';
import * as sitesRepo from '../../repositories/sites';
import * as repo from '../../repositories/users';
import { reasonInput, userInput, userUpdate } from '../../../schemas/user';
import { parseInput } from '../../runtime/validate';
import { endAccessOnNewPassword } from './auth';

export interface UserSummary {
	id: number;
	email: string;
	name: string;
	role: string;
	sites: string[];
	disabled: boolean;
	mustChangePassword: boolean;
	createdAt: string;
}

function summary(user: User, sites: string[]): UserSummary {
	return {
		id: user.id,
		email: user.email,
		name: user.name,
		role: user.role,
		sites,
		disabled: user.disabled_at !== null,
		mustChangePassword: user.must_change_password === 1,
		createdAt: user.created_at
	};
}

export async function listUsers(ctx: ServiceContext): Promise<UserSummary[]> {
	requireRole(ctx.actor, 'admin');
	const [all, codes] = await Promise.all([repo.listUsers(ctx.db), repo.siteCodesByUser(ctx.db)]);
	return all.map((u) =>
		summary(
			u,
			codes.filter((c) => c.user_id === u.id).map((c) => c.code)
		)
	);
}

export async function getUser(ctx: ServiceContext, id: number): Promise<UserSummary> {
	requireRole(ctx.actor, 'admin');
	const user = await repo.findUserById(ctx.db, id);
	if (!user) throw new NotFoundError('User');
	const codes = await repo.siteCodesByUser(ctx.db);
	return summary(
		user,
		codes.filter((c) => c.user_id === id).map((c) => c.code)
	);
}

/** Site codes → ids; an unknown code is a field error. Admins hold no site. */
async function resolveSites(db: Executor, role: string, codes: string[]): Promise<number[]> {
	const unique = [...new Set(codes)];
	if (role === 'admin') {
		if (unique.length > 0) {
			throw new ValidationError({ sites: ['An administrator holds no site.'] });
		}
		return [];
	}
	const found = await sitesRepo.findSitesByCodes(db, unique);
	const missing = unique.filter((c) => !found.some((s) => s.code === c));
	if (missing.length > 0) {
		throw new ValidationError({ sites: [`No site with code ${missing.join(', ')}.`] });
	}
	return found.map((s) => s.id).sort((a, b) => a - b);
}

export interface CreatedUser {
	user: UserSummary;
	/** Shown once; null when the user chose their own password. */
	oneTimePassword: string | null;
}

/**
 * Creates an account. Without `ownPassword` it gets a one-time password that must be changed at
 * first sign-in; with one (the CLI's --password-stdin) the password is the user's own.
 */
export async function createUser(
	ctx: ServiceContext,
	input: unknown,
	ownPassword?: string
): Promise<CreatedUser> {
	requireRole(ctx.actor, 'admin');
	const v = parseInput(userInput, input);
	if (ownPassword !== undefined) {
		const problems = passwordProblems(ownPassword, { email: v.email });
		if (problems.length > 0) throw new ValidationError({ password: problems });
	}
	const siteIds = await resolveSites(ctx.db, v.role, v.sites);
	const password = ownPassword ?? generateOneTimePassword();
	const passwordHash = await hashPassword(password);
	const user = await writeTransaction(ctx.db, async (trx) => {
		if (await repo.findUserByEmail(trx, v.email)) {
			throw new ConflictError('This email has an account.', {
				email: ['An account with this email exists.']
			});
		}
		const created = await repo.insertUser(trx, {
			email: v.email,
			name: v.name,
			role: v.role,
			password_hash: passwordHash,
			must_change_password: ownPassword === undefined ? 1 : 0,
			created_at: ctx.now().toISOString()
		});
		await repo.replaceUserSites(trx, created.id, siteIds);
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.userCreated,
			entityType: 'user',
			entityId: created.id,
			newValues: {
				email: v.email,
				name: v.name,
				role: v.role,
				sites: v.sites,
				siteIds,
				oneTimePassword: ownPassword === undefined,
				passwordHashSha256: sha256Hex(passwordHash)
			}
		});
		return created;
	});
	return {
		user: summary(user, [...new Set(v.sites)].sort()),
		oneTimePassword: ownPassword === undefined ? password : null
	};
}

export async function updateUser(
	ctx: ServiceContext,
	id: number,
	input: unknown
): Promise<UserSummary> {
	requireRole(ctx.actor, 'admin');
	const v = parseInput(userUpdate, input);
	const siteIds = await resolveSites(ctx.db, v.role, v.sites);
	await writeTransaction(ctx.db, async (trx) => {
		const before = await repo.findUserById(trx, id);
		if (!before) throw new NotFoundError('User');
		if (ctx.actor.kind === 'user' && ctx.actor.id === id && v.role !== before.role) {
			throw new ValidationError({ role: ['You cannot change your own role.'] });
		}
		const beforeSites = await repo.siteIdsOfUser(trx, id);
		const change = diff(
			{ name: before.name, role: before.role, siteIds: beforeSites },
			{ name: v.name, role: v.role, siteIds }
		);
		if (!change) return;
		await repo.updateUser(trx, id, { name: v.name, role: v.role });
		await repo.replaceUserSites(trx, id, siteIds);
		// A new role or new sites take effect at once: end the user's sessions.
		if (change.newValues.role !== undefined || change.newValues.siteIds !== undefined) {
			await sessions.deleteSessionsOfUser(trx, id);
		}
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.userUpdated,
			entityType: 'user',
			entityId: id,
			...change,
			reason: v.reason
		});
	});
	return getUser(ctx, id);
}

async function findUserByEmailOrThrow(ctx: ServiceContext, email: string): Promise<User> {
	const user = await repo.findUserByEmail(ctx.db, email.trim().toLowerCase());
	if (!user) throw new NotFoundError('User');
	return user;
}

export async function disableUser(ctx: ServiceContext, id: number, input: unknown): Promise<void> {
	requireRole(ctx.actor, 'admin');
	const { reason } = parseInput(reasonInput, input);
	if (ctx.actor.kind === 'user' && ctx.actor.id === id) {
		throw new ValidationError({ reason: ['You cannot disable your own account.'] });
	}
	await writeTransaction(ctx.db, async (trx) => {
		const user = await repo.findUserById(trx, id);
		if (!user) throw new NotFoundError('User');
		if (user.disabled_at) return;
		const at = ctx.now().toISOString();
		await repo.updateUser(trx, id, { disabled_at: at });
		const ended = await sessions.deleteSessionsOfUser(trx, id);
		// Re-enabling the account later does not bring its tokens back.
		const revoked = await revokeApiTokensOfUser(trx, id, at, 'disabled');
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.userDisabled,
			entityType: 'user',
			entityId: id,
			oldValues: { disabledAt: null },
			newValues: {
				disabledAt: at,
				sessionsEnded: ended,
				tokensRevoked: revoked.length,
				revokedTokenIds: revoked,
				tokensRevokedAt: at
			},
			reason
		});
	});
}

export async function disableUserByEmail(
	ctx: ServiceContext,
	email: string,
	input: unknown
): Promise<void> {
	requireRole(ctx.actor, 'admin');
	const user = await findUserByEmailOrThrow(ctx, email);
	await disableUser(ctx, user.id, input);
}

export async function enableUser(ctx: ServiceContext, id: number, input: unknown): Promise<void> {
	requireRole(ctx.actor, 'admin');
	const { reason } = parseInput(reasonInput, input);
	await writeTransaction(ctx.db, async (trx) => {
		const user = await repo.findUserById(trx, id);
		if (!user) throw new NotFoundError('User');
		if (!user.disabled_at) return;
		await repo.updateUser(trx, id, {
			disabled_at: null,
			failed_sign_ins: 0,
			last_failed_sign_in_at: null
		});
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.userEnabled,
			entityType: 'user',
			entityId: id,
			oldValues: { disabledAt: user.disabled_at },
			newValues: { disabledAt: null },
			reason
		});
	});
}

/** Gives the user a new one-time password and ends their sessions. */
export async function resetPassword(
	ctx: ServiceContext,
	id: number,
	input: unknown
): Promise<string> {
	requireRole(ctx.actor, 'admin');
	const { reason } = parseInput(reasonInput, input);
	const password = generateOneTimePassword();
	const passwordHash = await hashPassword(password);
	await writeTransaction(ctx.db, async (trx) => {
		const user = await repo.findUserById(trx, id);
		if (!user) throw new NotFoundError('User');
		await repo.updateUser(trx, id, {
			password_hash: passwordHash,
			must_change_password: 1,
			failed_sign_ins: 0,
			last_failed_sign_in_at: null
		});
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.passwordReset,
			entityType: 'user',
			entityId: id,
			newValues: await endAccessOnNewPassword(trx, ctx, id, passwordHash, 'password-reset'),
			reason
		});
	});
	return password;
}

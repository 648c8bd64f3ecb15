// Personal API tokens: a user makes one for a script or a bedside monitor, and it acts with exactly
// that user's current role and sites. Shown once; only its SHA-256 is kept, as for sessions.
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { z } from 'zod';
import { isRole } from '../../../roles';
import { AUDIT_ACTIONS } from '../../audit/actions';
import { sha256Hex } from '../../audit/chain';
import { appendAudit } from '../../audit/log';
import type { ServiceContext, UserActor } from '../../runtime/context';
import type { Db } from '../../db';
import type { ApiToken, User } from '../../db/schema';
import { writeTransaction } from '../../db/transaction';
import { AuthenticationError, NotFoundError } from '../../runtime/errors';
import * as repo from '../../repositories/api-tokens';
import * as auditRepo from '../../repositories/audit';

import { parseInput } from '../../runtime/validate';
import { toActor } from './auth';

/** The prefix lets secret scanners and people recognise a Vigil token in a log or a paste. */
export const API_TOKEN_PREFIX = 'vgl_';
const TOKEN_SHAPE = /^vgl_[a-z2-7]{32}$/;

/** A use is written to the trail at most this often per token, so a busy monitor stays readable. */
const USE_AUDIT_INTERVAL_MS = 60_000;

/** Default lifetime of a token (setting VIGIL_API_TOKEN_DAYS). */
export const DEFAULT_API_TOKEN_DAYS = 90;
const DAY_MS = 86_400_000;

/** 'write': the user's full access; 'read': GET only, for auditors' scripts and dashboards. */
export const API_TOKEN_SCOPES = ['write', 'read'] as const;
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];

export const apiTokenInput = z.object({
	name: z
		.string({ error: 'Name the token, such as "Bed 3 monitor".' })
		.trim()
		.min(1, 'Name the token, such as "Bed 3 monitor".')
		.max(80, 'Keep the name under 80 characters.'),
	scope: z
		.preprocess(
			(v) => (v === '' || v === null ? undefined : v),
			z.enum(API_TOKEN_SCOPES).optional()
		)
		.default('write')
});

export interface ApiTokenView {
	id: number;
	name: string;
	createdAt: string;
	lastUsedAt: string | null;
	revokedAt: string | null;
	expiresAt: string;
	scope: ApiTokenScope;
}

/** When the token stops working; tokens from before expiries count from their creation. */
function expiryOf(t: ApiToken, lifetimeDays: number): string {
	return t.expires_at ?? new Date(Date.parse(t.created_at) + lifetimeDays * DAY_MS).toISOString();
}

const toView = (t: ApiToken, lifetimeDays = DEFAULT_API_TOKEN_DAYS): ApiTokenView => ({
	id: t.id,
	name: t.name,
	createdAt: t.created_at,
	lastUsedAt: t.last_used_at,
	revokedAt: t.revoked_at,
	expiresAt: expiryOf(t, lifetimeDays),
	scope: t.scope === 'read' ? 'read' : 'write'
});

/** 20 random bytes, base32: 32 characters after the prefix. */
function generateApiToken(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return API_TOKEN_PREFIX + encodeBase32LowerCaseNoPadding(bytes);
}

function signedInUser(ctx: ServiceContext): UserActor {
	if (ctx.actor.kind !== 'user') throw new AuthenticationError('Please sign in.');
	return ctx.actor;
}

/** Makes a token for the signed-in user; `token` is the only time the secret is seen. */
export async function createApiToken(
	ctx: ServiceContext,
	input: unknown,
	lifetimeDays = DEFAULT_API_TOKEN_DAYS
): Promise<{ token: string; apiToken: ApiTokenView }> {
	const user = signedInUser(ctx);
	const { name, scope } = parseInput(apiTokenInput, input);
	const token = generateApiToken();
	const now = ctx.now();
	const expiresAt = new Date(now.getTime() + lifetimeDays * DAY_MS).toISOString();
	const row = await writeTransaction(ctx.db, async (trx) => {
		const created = await repo.insertApiToken(trx, {
			user_id: user.id,
			name,
			token_hash: sha256Hex(token),
			created_at: now.toISOString(),
			expires_at: expiresAt,
			scope
		});
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.apiTokenCreated,
			entityType: 'api_token',
			entityId: created.id,
			newValues: { name, scope, expiresAt, tokenHashSha256: sha256Hex(created.token_hash) }
		});
		return created;
	});
	return { token, apiToken: toView(row) };
}

/** The signed-in user's own tokens, newest first (never anyone else's). */
export async function listApiTokens(
	ctx: ServiceContext,
	lifetimeDays = DEFAULT_API_TOKEN_DAYS
): Promise<ApiTokenView[]> {
	const user = signedInUser(ctx);
	return (await repo.listApiTokensOfUser(ctx.db, user.id)).map((t) => toView(t, lifetimeDays));
}

/** Revokes one of the user's own tokens; another user's id is "not found". */
export async function revokeApiToken(ctx: ServiceContext, id: number): Promise<ApiTokenView> {
	const user = signedInUser(ctx);
	return writeTransaction(ctx.db, async (trx) => {
		const token = await repo.findApiTokenOfUser(trx, id, user.id);
		if (!token) throw new NotFoundError('Token');
		if (token.revoked_at) return toView(token);
		const at = ctx.now().toISOString();
		await repo.revokeApiToken(trx, id, at);
		await appendAudit(trx, ctx, {
			action: AUDIT_ACTIONS.apiTokenRevoked,
			entityType: 'api_token',
			entityId: id,
			oldValues: { revokedAt: null },
			newValues: { name: token.name, revokedAt: at }
		});
		return toView({ ...token, revoked_at: at });
	});
}

/** A token of a user whose role this version does not know authenticates no one. */
async function actorOf(db: Db, user: User): Promise<UserActor | null> {
	return isRole(user.role) ? toActor(db, user) : null;
}

export interface TokenUse {
	requestId?: string | null;
	method?: string;
	path?: string;
	/** The configured lifetime, for tokens made before expiries were recorded. */
	lifetimeDays?: number;
}

export interface TokenActor {
	actor: UserActor;
	scope: ApiTokenScope;
}

/**
 * The user a bearer token acts for, with their role and sites as they are now, and the token's
 * scope; null when the token is unknown, revoked or expired, or the account is disabled or still
 * on a one-time password (a signed-in page session could not do anything either until then).
 */
export async function authenticateApiToken(
	db: Db,
	bearer: string,
	now: Date,
	use: TokenUse = {}
): Promise<TokenActor | null> {
	if (!TOKEN_SHAPE.test(bearer)) return null;
	const found = await repo.findApiTokenWithUser(db, sha256Hex(bearer));
	if (!found || found.token.revoked_at) return null;
	const { token, user } = found;
	const expiresAt = expiryOf(token, use.lifetimeDays ?? DEFAULT_API_TOKEN_DAYS);
	if (Date.parse(expiresAt) <= now.getTime()) return null;
	if (user.disabled_at || user.must_change_password === 1) return null;
	const actor = await actorOf(db, user);
	if (!actor) return null;
	const at = now.toISOString();
	await writeTransaction(db, async (trx) => {
		await repo.touchApiToken(trx, token.id, at);
		const last = await auditRepo.lastAuditedAt(
			trx,
			{ type: 'api_token', id: token.id },
			AUDIT_ACTIONS.apiTokenUsed
		);
		if (last && now.getTime() - Date.parse(last) < USE_AUDIT_INTERVAL_MS) return;
		await appendAudit(
			trx,
			{ actor, requestId: use.requestId ?? null, now: () => now },
			{
				action: AUDIT_ACTIONS.apiTokenUsed,
				entityType: 'api_token',
				entityId: token.id,
				newValues: { name: token.name, method: use.method, path: use.path }
			}
		);
	});
	return { actor, scope: token.scope === 'read' ? 'read' : 'write' };
}

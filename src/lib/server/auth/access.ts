// Access checks, called first thing in every service method. They fail closed: a user with no
// site sees nothing, and a record at a site the user does not hold is "not found".
import type { Role } from '../../roles';
import type { Actor, UserActor } from '../runtime/context';
import { AuthenticationError, ForbiddenError, NotFoundError } from '../runtime/errors';

/**
 * A signed-in user or the CLI operator; anonymous callers are refused, and so is a participant on
 * an ePRO link, who may only answer their own scale (services/trial/epro.ts).
 */
export function requireActor(actor: Actor): Exclude<Actor, { kind: 'anonymous' | 'participant' }> {
	if (actor.kind === 'anonymous' || actor.kind === 'participant') {
		throw new AuthenticationError('Please sign in.');
	}
	return actor;
}

/** Only these roles (the CLI operator always passes). */
export function requireRole(actor: Actor, ...roles: Role[]): void {
	const a = requireActor(actor);
	if (a.kind === 'system') return;
	if (!roles.includes(a.role)) throw new ForbiddenError();
}

/** Site ids the actor may read: 'all' for the operator and admins, else the user's own sites. */
export function readableSites(actor: Actor, opts: { adminSeesAll: boolean }): number[] | 'all' {
	const a = requireActor(actor);
	if (a.kind === 'system') return 'all';
	if (a.role === 'admin') return opts.adminSeesAll ? 'all' : [];
	return a.siteIds;
}

/** Throws "not found" unless the actor holds the site. */
export function assertSiteAccess(
	actor: Actor,
	siteId: number,
	opts: { adminSeesAll: boolean; what?: string }
): void {
	const sites = readableSites(actor, opts);
	if (sites !== 'all' && !sites.includes(siteId)) throw new NotFoundError(opts.what);
}

export function isUser(actor: Actor): actor is UserActor {
	return actor.kind === 'user';
}

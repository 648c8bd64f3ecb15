// Who may read and write clinical records. Reads: coordinators, investigators, auditors and
// monitors at their own sites, admins everywhere (for exports); writes: coordinators at their own
// sites.
import type { Role } from '../../../roles';
import { assertSiteAccess, readableSites, requireRole } from '../../auth/access';
import type { Actor } from '../../runtime/context';

// Monitors (CRAs) read the records of the sites assigned to them, to query and verify them.
const READERS: Role[] = ['coordinator', 'investigator', 'auditor', 'admin', 'monitor'];

/** Site ids whose clinical records the actor may read ('all' for admins and the operator). */
export function clinicalReadScope(actor: Actor): number[] | 'all' {
	requireRole(actor, ...READERS);
	return readableSites(actor, { adminSeesAll: true });
}

/** Throws "not found" unless the actor may read records at this site. */
export function assertClinicalRead(actor: Actor, siteId: number, what: string): void {
	requireRole(actor, ...READERS);
	assertSiteAccess(actor, siteId, { adminSeesAll: true, what });
}

/**
 * Coordinators enter clinical data at their own sites. A record at another site is "not found"
 * for a coordinator and forbidden for every other role, whose failure is the role, not the site.
 */
export function assertClinicalWrite(actor: Actor, siteId: number, what: string): void {
	assertClinicalRead(actor, siteId, what);
	requireRole(actor, 'coordinator');
}

/**
 * The role check alone, for a door that must read the body to learn the site (adding a
 * participant): a role that may never write is refused before its input is looked at.
 */
export function requireClinicalWriter(actor: Actor): void {
	requireRole(actor, 'coordinator');
}

/** The user id to stamp on created_by / updated_by (null for the operator). */
export function actorUserId(actor: Actor): number | null {
	return actor.kind === 'user' ? actor.id : null;
}

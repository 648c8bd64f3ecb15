// Vigil's roles. Shared by server and pages; what each may do is enforced in the services.
export const ROLES = [
	'admin',
	'coordinator',
	'investigator',
	'auditor',
	'pharmacist',
	'monitor'
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
	admin: 'Administrator',
	coordinator: 'Trial coordinator',
	investigator: 'Investigator',
	auditor: 'Auditor',
	pharmacist: 'Pharmacist (unblinded)',
	monitor: 'Monitor (CRA)'
};

/** Where each role lands after signing in. */
export const LANDING_PAGES: Record<Role, string> = {
	admin: '/admin',
	coordinator: '/sites',
	investigator: '/review',
	auditor: '/audit',
	pharmacist: '/pharmacy',
	monitor: '/monitoring'
};

export function isRole(value: unknown): value is Role {
	return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/**
 * Roles that may know which arm a participant is in before database lock: the pharmacist who
 * prepares doses (DOMAIN-2.md §1: only the unblinded role reads the allocation list). Every other
 * role is blinded, administrators included.
 */
export const UNBLINDED_ROLES: readonly Role[] = ['pharmacist'];

export function isUnblindedRole(role: Role): boolean {
	return UNBLINDED_ROLES.includes(role);
}

// Vigil's roles. Shared by server and pages; what each may do is enforced in the services.
export const ROLES = ['admin', 'coordinator', 'investigator', 'auditor', 'monitor'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
	admin: 'Administrator',
	coordinator: 'Trial coordinator',
	investigator: 'Investigator',
	auditor: 'Auditor',
	monitor: 'Monitor (CRA)'
};

/** Where each role lands after signing in. */
export const LANDING_PAGES: Record<Role, string> = {
	admin: '/admin',
	coordinator: '/sites',
	investigator: '/review',
	auditor: '/audit',
	monitor: '/monitoring'
};

export function isRole(value: unknown): value is Role {
	return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

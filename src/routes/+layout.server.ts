import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => {
	const u = locals.user;
	return {
		user: u ? { name: u.name, email: u.email, role: u.role } : null,
		mustChangePassword: locals.mustChangePassword
	};
};

import { redirect } from '@sveltejs/kit';
import { LANDING_PAGES } from '$lib/roles';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	redirect(303, locals.user ? LANDING_PAGES[locals.user.role] : '/login');
};

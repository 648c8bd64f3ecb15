import { redirect } from '@sveltejs/kit';
import { clearSessionCookie } from '$lib/server/runtime/cookies';
import { contextOf } from '$lib/server/runtime/http';
import { signOut } from '$lib/server/services/people/auth';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async (event) => {
		await signOut(contextOf(event));
		clearSessionCookie(event.cookies);
		redirect(303, '/login');
	}
};

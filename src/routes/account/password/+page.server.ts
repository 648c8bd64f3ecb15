import { redirect } from '@sveltejs/kit';
import { LANDING_PAGES } from '$lib/roles';
import { setSessionCookie } from '$lib/server/runtime/cookies';
import { requirePageUser, serviceAction } from '$lib/server/runtime/http';
import { changeOwnPassword } from '$lib/server/services/people/auth';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	requirePageUser(event);
	return { forced: event.locals.mustChangePassword };
};

export const actions: Actions = {
	default: serviceAction(null, async (form, ctx, event) => {
		const user = requirePageUser(event);
		const changed = await changeOwnPassword(ctx, {
			currentPassword: form.get('currentPassword'),
			newPassword: form.get('newPassword'),
			confirmPassword: form.get('confirmPassword')
		});
		setSessionCookie(event.cookies, event.url, changed.token);
		redirect(303, LANDING_PAGES[user.role]);
	})
};

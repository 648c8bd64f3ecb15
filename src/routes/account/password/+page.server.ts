import { redirect } from '@sveltejs/kit';
import { LANDING_PAGES } from '$lib/roles';
import { setSessionCookie } from '$lib/server/runtime/cookies';
import { contextOf, formAction, requirePageUser } from '$lib/server/runtime/http';
import { changeOwnPassword } from '$lib/server/services/people/auth';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	requirePageUser(event);
	return { forced: event.locals.mustChangePassword };
};

export const actions: Actions = {
	default: async (event) => {
		const user = requirePageUser(event);
		const form = await event.request.formData();
		const result = await formAction(form, () =>
			changeOwnPassword(contextOf(event), {
				currentPassword: form.get('currentPassword'),
				newPassword: form.get('newPassword'),
				confirmPassword: form.get('confirmPassword')
			})
		);
		if ('token' in result) {
			setSessionCookie(event.cookies, event.url, result.token);
			redirect(303, LANDING_PAGES[user.role]);
		}
		return result;
	}
};

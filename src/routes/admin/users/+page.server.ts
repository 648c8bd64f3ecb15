import { contextOf, formAction, requirePageUser } from '$lib/server/runtime/http';
import { listSites } from '$lib/server/services/people/sites';
import { createUser, listUsers } from '$lib/server/services/people/users';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePageUser(event, 'admin');
	const ctx = contextOf(event);
	const [users, sites] = await Promise.all([listUsers(ctx), listSites(ctx)]);
	return { users, sites: sites.map((s) => ({ code: s.code, name: s.name })) };
};

export const actions: Actions = {
	create: async (event) => {
		const form = await event.request.formData();
		const result = await formAction(form, () =>
			createUser(contextOf(event), {
				email: form.get('email'),
				name: form.get('name'),
				role: form.get('role'),
				sites: form.getAll('sites')
			})
		);
		return 'user' in result
			? { created: { email: result.user.email, oneTimePassword: result.oneTimePassword } }
			: result;
	}
};

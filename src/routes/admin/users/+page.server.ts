import { contextOf, requirePageUser, serviceAction } from '$lib/server/runtime/http';
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
	create: serviceAction(null, async (form, ctx) => {
		const created = await createUser(ctx, {
			email: form.get('email'),
			name: form.get('name'),
			role: form.get('role'),
			sites: form.getAll('sites')
		});
		return { created: { email: created.user.email, oneTimePassword: created.oneTimePassword } };
	})
};

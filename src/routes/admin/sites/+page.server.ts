import { contextOf, formAction, requirePageUser } from '$lib/server/runtime/http';
import { createSite, listSites } from '$lib/server/services/people/sites';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePageUser(event, 'admin');
	return { sites: await listSites(contextOf(event)) };
};

export const actions: Actions = {
	create: async (event) => {
		const form = await event.request.formData();
		const result = await formAction(form, () =>
			createSite(contextOf(event), {
				code: form.get('code'),
				name: form.get('name'),
				timezone: form.get('timezone'),
				country: form.get('country') ?? ''
			})
		);
		return 'id' in result ? { created: result.code } : result;
	}
};

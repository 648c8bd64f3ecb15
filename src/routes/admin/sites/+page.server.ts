import { contextOf, requirePageUser, serviceAction } from '$lib/server/runtime/http';
import { createSite, listSites } from '$lib/server/services/people/sites';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePageUser(event, 'admin');
	return { sites: await listSites(contextOf(event)) };
};

export const actions: Actions = {
	create: serviceAction(null, async (form, ctx) => {
		const site = await createSite(ctx, {
			code: form.get('code'),
			name: form.get('name'),
			timezone: form.get('timezone'),
			country: form.get('country') ?? ''
		});
		return { created: site.code };
	})
};

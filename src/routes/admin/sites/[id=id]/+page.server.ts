import { redirect } from '@sveltejs/kit';
import { contextOf, loadOr404, requirePageUser, serviceAction } from '$lib/server/runtime/http';
import { idParam } from '$lib/server/runtime/params';
import { getSite, updateSite } from '$lib/server/services/people/sites';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePageUser(event, 'admin');
	return { site: await loadOr404(getSite(contextOf(event), idParam(event))) };
};

export const actions: Actions = {
	default: serviceAction(null, async (form, ctx, event) => {
		await updateSite(ctx, idParam(event), {
			name: form.get('name'),
			timezone: form.get('timezone'),
			country: form.get('country') ?? '',
			reason: form.get('reason')
		});
		redirect(303, '/admin/sites');
	})
};

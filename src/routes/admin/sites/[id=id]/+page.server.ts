import { redirect } from '@sveltejs/kit';
import { contextOf, formAction, loadOr404, requirePageUser } from '$lib/server/runtime/http';
import { getSite, updateSite } from '$lib/server/services/people/sites';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePageUser(event, 'admin');
	return { site: await loadOr404(getSite(contextOf(event), Number(event.params.id))) };
};

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const result = await formAction(form, () =>
			updateSite(contextOf(event), Number(event.params.id), {
				name: form.get('name'),
				timezone: form.get('timezone'),
				country: form.get('country') ?? '',
				reason: form.get('reason')
			})
		);
		if ('id' in result) redirect(303, '/admin/sites');
		return result;
	}
};

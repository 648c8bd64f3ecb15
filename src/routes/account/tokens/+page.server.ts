import { contextOf, formAction, requirePageUser } from '$lib/server/runtime/http';
import {
	createApiToken,
	listApiTokens,
	revokeApiToken
} from '$lib/server/services/people/api-tokens';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePageUser(event);
	return { tokens: await listApiTokens(contextOf(event)) };
};

export const actions: Actions = {
	create: async (event) => {
		requirePageUser(event);
		const form = await event.request.formData();
		const result = await formAction(
			form,
			() => createApiToken(contextOf(event), { name: form.get('name') }),
			'create'
		);
		// The secret goes back in this one response only; the list shows just its name.
		return 'token' in result
			? { created: { name: result.apiToken.name, token: result.token } }
			: result;
	},
	revoke: async (event) => {
		requirePageUser(event);
		const form = await event.request.formData();
		const result = await formAction(
			form,
			() => revokeApiToken(contextOf(event), Number(form.get('id'))),
			'revoke'
		);
		return 'revokedAt' in result ? { revoked: result.name } : result;
	}
};

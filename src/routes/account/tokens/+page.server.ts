import { redirect } from '@sveltejs/kit';
import { vigil } from '$lib/server/runtime/app';
import { clearSessionCookie } from '$lib/server/runtime/cookies';
import { contextOf, formAction, requirePageUser, recordId } from '$lib/server/runtime/http';
import {
	createApiToken,
	listApiTokens,
	revokeApiToken
} from '$lib/server/services/people/api-tokens';
import { signOutEverywhere } from '$lib/server/services/people/auth';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePageUser(event);
	const days = vigil().config.apiTokenDays;
	return { tokens: await listApiTokens(contextOf(event), days), lifetimeDays: days };
};

export const actions: Actions = {
	create: async (event) => {
		requirePageUser(event);
		const form = await event.request.formData();
		const result = await formAction(
			form,
			() =>
				createApiToken(
					contextOf(event),
					{ name: form.get('name'), scope: form.get('scope') },
					vigil().config.apiTokenDays
				),
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
			() => revokeApiToken(contextOf(event), recordId(form.get('id'))),
			'revoke'
		);
		return 'revokedAt' in result ? { revoked: result.name } : result;
	},
	/** Ends every session and revokes every token of the user, then back to sign in. */
	everywhere: async (event) => {
		requirePageUser(event);
		await signOutEverywhere(contextOf(event));
		clearSessionCookie(event.cookies);
		redirect(303, '/login');
	}
};

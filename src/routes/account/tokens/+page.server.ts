import { redirect } from '@sveltejs/kit';
import { vigil } from '$lib/server/runtime/app';
import { clearSessionCookie } from '$lib/server/runtime/cookies';
import { contextOf, requirePageUser, recordId, serviceAction } from '$lib/server/runtime/http';
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
	create: serviceAction('create', async (form, ctx, event) => {
		requirePageUser(event);
		const created = await createApiToken(
			ctx,
			{ name: form.get('name'), scope: form.get('scope') },
			vigil().config.apiTokenDays
		);
		// The secret goes back in this one response only; the list shows just its name.
		return { created: { name: created.apiToken.name, token: created.token } };
	}),
	revoke: serviceAction('revoke', async (form, ctx, event) => {
		requirePageUser(event);
		const revoked = await revokeApiToken(ctx, recordId(form.get('id')));
		return { revoked: revoked.name };
	}),
	/** Ends every session and revokes every token of the user, then back to sign in. */
	everywhere: async (event) => {
		requirePageUser(event);
		await signOutEverywhere(contextOf(event));
		clearSessionCookie(event.cookies);
		redirect(303, '/login');
	}
};

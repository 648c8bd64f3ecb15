// A participant's self-report through a one-time link (services/trial/epro.ts): no account, no
// staff session; only the one scale the link was issued for.
import { error, redirect } from '@sveltejs/kit';
import { contextOf, serviceAction } from '$lib/server/runtime/http';
import { EproLinkRefused, eproLinkForm, submitEproLink } from '$lib/server/services/trial/epro';
import type { Actions, PageServerLoad } from './$types';

const PRIVATE = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' };

/**
 * SvelteKit refuses a header set twice, and a form posted without JavaScript that fails runs the
 * action (which set them) and then this load: a second set would turn the failure into a 500.
 */
function setPrivate(event: { setHeaders: (h: Record<string, string>) => void }): void {
	try {
		event.setHeaders(PRIVATE);
	} catch {
		// Already set by the action of this same request.
	}
}

export const load: PageServerLoad = async (event) => {
	setPrivate(event);
	try {
		return await eproLinkForm(contextOf(event), event.params.token);
	} catch (e) {
		if (e instanceof EproLinkRefused) error(e.status, e.message);
		throw e;
	}
};

export const actions: Actions = {
	default: serviceAction('epro', async (form, ctx, event) => {
		setPrivate(event);
		const items = Object.fromEntries(
			[...form.entries()]
				.filter(([k, v]) => /^item-\d{1,2}$/.test(k) && typeof v === 'string')
				.map(([k, v]) => [k.slice(5), v as string])
		);
		await submitEproLink(ctx, event.params.token, {
			items,
			deviceTime: form.get('deviceTime'),
			deviceZone: form.get('deviceZone')
		});
		// The link is spent now: its page would say so, so the thanks live on a page of their own.
		redirect(303, '/epro/done');
	})
};

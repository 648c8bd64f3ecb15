import { formatLocal } from '$lib/domain/time';
import {
	contextOf,
	loadOr404,
	requirePageUser,
	recordId,
	serviceAction
} from '$lib/server/runtime/http';
import { addOnCall, onCallRoster, removeOnCall } from '$lib/server/services/alerts/on-call';
import { getSiteByCode } from '$lib/server/services/people/sites';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePageUser(event, 'admin', 'investigator');
	const ctx = contextOf(event);
	const site = await loadOr404(getSiteByCode(ctx, event.params.code));
	const roster = await loadOr404(onCallRoster(ctx, site.id));
	return {
		site: { code: site.code, name: site.name, timezone: site.timezone },
		roster: roster.map((r) => ({
			...r,
			starts: formatLocal(r.startsAt, site.timezone),
			ends: formatLocal(r.endsAt, site.timezone)
		}))
	};
};

export const actions: Actions = {
	add: serviceAction('add', async (form, ctx, event) => {
		const site = await getSiteByCode(ctx, event.params.code);
		await addOnCall(ctx, site.id, {
			name: form.get('name'),
			email: form.get('email'),
			startsAt: form.get('startsAt'),
			endsAt: form.get('endsAt')
		});
		return { added: true as const };
	}),
	remove: serviceAction('remove', async (form, ctx) => {
		await removeOnCall(ctx, recordId(form.get('id')));
		return { removed: true as const };
	})
};

import { contextOf, loadOr404, requirePageUser, serviceAction } from '$lib/server/runtime/http';
import { idParam } from '$lib/server/runtime/params';
import { listSites } from '$lib/server/services/people/sites';
import {
	disableUser,
	enableUser,
	getUser,
	resetPassword,
	updateUser
} from '$lib/server/services/people/users';
import { resetSecondFactor } from '$lib/server/services/people/second-factor';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePageUser(event, 'admin');
	const ctx = contextOf(event);
	const [user, sites] = await Promise.all([
		loadOr404(getUser(ctx, idParam(event))),
		listSites(ctx)
	]);
	return { user, sites: sites.map((s) => ({ code: s.code, name: s.name })) };
};

export const actions: Actions = {
	update: serviceAction('update', async (form, ctx, event) => {
		await updateUser(ctx, idParam(event), {
			name: form.get('name'),
			role: form.get('role'),
			sites: form.getAll('sites'),
			reason: form.get('reason')
		});
		return { saved: true };
	}),
	disable: serviceAction('status', async (form, ctx, event) => {
		await disableUser(ctx, idParam(event), { reason: form.get('reason') });
		return { disabled: true };
	}),
	enable: serviceAction('status', async (form, ctx, event) => {
		await enableUser(ctx, idParam(event), { reason: form.get('reason') });
		return { enabled: true };
	}),
	reset: serviceAction('reset', async (form, ctx, event) => ({
		oneTimePassword: await resetPassword(ctx, idParam(event), { reason: form.get('reason') })
	})),
	resetSecondFactor: serviceAction('resetSecondFactor', async (form, ctx, event) => {
		await resetSecondFactor(ctx, idParam(event), { reason: form.get('reason') });
		return { secondFactorReset: true };
	})
};

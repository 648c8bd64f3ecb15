import { contextOf, formAction, loadOr404, requirePageUser } from '$lib/server/runtime/http';
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
		loadOr404(getUser(ctx, Number(event.params.id))),
		listSites(ctx)
	]);
	return { user, sites: sites.map((s) => ({ code: s.code, name: s.name })) };
};

const id = (params: { id: string }) => Number(params.id);

export const actions: Actions = {
	update: async (event) => {
		const form = await event.request.formData();
		const result = await formAction(
			form,
			() =>
				updateUser(contextOf(event), id(event.params), {
					name: form.get('name'),
					role: form.get('role'),
					sites: form.getAll('sites'),
					reason: form.get('reason')
				}),
			'update'
		);
		return 'id' in result ? { saved: true } : result;
	},
	disable: async (event) => {
		const form = await event.request.formData();
		const result = await formAction(
			form,
			() => disableUser(contextOf(event), id(event.params), { reason: form.get('reason') }),
			'status'
		);
		return result ?? { disabled: true };
	},
	enable: async (event) => {
		const form = await event.request.formData();
		const result = await formAction(
			form,
			() => enableUser(contextOf(event), id(event.params), { reason: form.get('reason') }),
			'status'
		);
		return result ?? { enabled: true };
	},
	reset: async (event) => {
		const form = await event.request.formData();
		const result = await formAction(
			form,
			() => resetPassword(contextOf(event), id(event.params), { reason: form.get('reason') }),
			'reset'
		);
		return typeof result === 'string' ? { oneTimePassword: result } : result;
	},
	resetSecondFactor: async (event) => {
		const form = await event.request.formData();
		const result = await formAction(
			form,
			() => resetSecondFactor(contextOf(event), id(event.params), { reason: form.get('reason') }),
			'resetSecondFactor'
		);
		return result ?? { secondFactorReset: true };
	}
};

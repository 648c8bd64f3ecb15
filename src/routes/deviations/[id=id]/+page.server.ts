import { error } from '@sveltejs/kit';
import { contextOf, loadOr404, requirePageUser, serviceAction } from '$lib/server/runtime/http';
import { signAction } from '$lib/server/runtime/sign-action';
import {
	DEVIATION_CATEGORIES,
	getDeviation,
	markDeviationEnteredInError,
	reviewDeviation
} from '$lib/server/services/protocol/deviations';
import { signaturePanel } from '$lib/server/services/signatures/signatures';
import type { Actions, PageServerLoad } from './$types';

function deviationId(params: { id: string }): number {
	const id = Number(params.id);
	if (!Number.isInteger(id) || id <= 0) error(404, 'Protocol deviation not found.');
	return id;
}

export const load: PageServerLoad = async (event) => {
	const user = requirePageUser(event, 'coordinator', 'investigator', 'auditor', 'monitor', 'admin');
	const ctx = contextOf(event);
	const deviation = await loadOr404(getDeviation(ctx, deviationId(event.params)));
	return {
		deviation,
		categories: DEVIATION_CATEGORIES,
		canWrite:
			(user.role === 'coordinator' || user.role === 'investigator') &&
			deviation.enteredInError === null,
		signing: await loadOr404(signaturePanel(ctx, 'protocol_deviation', deviation.id))
	};
};

export const actions: Actions = {
	sign: (event) => signAction(event, 'protocol_deviation', deviationId(event.params)),
	review: serviceAction('review', async (form, ctx, event) => {
		await reviewDeviation(ctx, deviationId(event.params), {
			category: form.get('category'),
			important: form.get('important'),
			reason: form.get('reason') ?? undefined
		});
		return { saved: 'review' as const };
	}),
	enteredInError: serviceAction('enteredInError', async (form, ctx, event) => {
		await markDeviationEnteredInError(ctx, deviationId(event.params), {
			reason: form.get('reason')
		});
		return { saved: 'entered-in-error' as const };
	})
};

import { contextOf, loadOr404, requirePageUser, serviceAction } from '$lib/server/runtime/http';
import { idParam } from '$lib/server/runtime/params';
import { signAction } from '$lib/server/runtime/sign-action';
import {
	DEVIATION_CATEGORIES,
	getDeviation,
	markDeviationEnteredInError,
	reviewDeviation
} from '$lib/server/services/protocol/deviations';
import { signaturePanel } from '$lib/server/services/signatures/signatures';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requirePageUser(event, 'coordinator', 'investigator', 'auditor', 'monitor', 'admin');
	const ctx = contextOf(event);
	const deviation = await loadOr404(getDeviation(ctx, idParam(event)));
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
	sign: (event) => signAction(event, 'protocol_deviation', idParam(event)),
	review: serviceAction('review', async (form, ctx, event) => {
		await reviewDeviation(ctx, idParam(event), {
			category: form.get('category'),
			important: form.get('important'),
			reason: form.get('reason') ?? undefined
		});
		return { saved: 'review' as const };
	}),
	enteredInError: serviceAction('enteredInError', async (form, ctx, event) => {
		await markDeviationEnteredInError(ctx, idParam(event), {
			reason: form.get('reason')
		});
		return { saved: 'entered-in-error' as const };
	})
};

import { toLocalInput } from '$lib/domain/time';
import { scaleFormInput, valuesFromAnswers } from '$lib/views/scale-form';
import { contextOf, loadOr404, requirePageUser, serviceAction } from '$lib/server/runtime/http';
import { idParam } from '$lib/server/runtime/params';
import { signAction } from '$lib/server/runtime/sign-action';
import { signaturePanel } from '$lib/server/services/signatures/signatures';
import { scaleFormOptions } from '$lib/server/services/capture/scale-options';
import {
	correctScaleAdministration,
	getScaleAdministration,
	markScaleEnteredInError
} from '$lib/server/services/capture/scales';
import type { Actions, PageServerLoad } from './$types';
import { monitoringActions } from '$lib/server/runtime/monitoring-actions';
import { monitoringPanel } from '$lib/server/services/monitoring/panel';

export const load: PageServerLoad = async (event) => {
	const user = requirePageUser(event);
	const ctx = contextOf(event);
	const scale = await loadOr404(getScaleAdministration(ctx, idParam(event)));
	const options = await loadOr404(scaleFormOptions(ctx, scale.participantId));
	return {
		scale,
		signing: await loadOr404(signaturePanel(ctx, 'scale_administration', scale.id)),
		monitoring: await loadOr404(monitoringPanel(ctx, 'scale_administration', scale.id)),
		...options,
		canWrite: user.role === 'coordinator' && scale.enteredInError === null,
		// The correction form starts from what was saved.
		saved: {
			...valuesFromAnswers(scale.instrument, scale.answers),
			visitId: scale.visitId === null ? '' : String(scale.visitId),
			administeredAt: toLocalInput(scale.administeredAt, options.timeZone),
			incomplete: scale.complete ? '' : 'on'
		}
	};
};

export const actions: Actions = {
	...monitoringActions('scale_administration', (e) => idParam(e)),
	sign: (event) => signAction(event, 'scale_administration', idParam(event)),
	correct: serviceAction('correct', async (form, ctx, event) => {
		await correctScaleAdministration(ctx, idParam(event), scaleFormInput(form));
		return { corrected: true };
	}),
	enteredInError: serviceAction('enteredInError', async (form, ctx, event) => {
		await markScaleEnteredInError(ctx, idParam(event), {
			reason: form.get('reason')
		});
		return { markedInError: true };
	})
};

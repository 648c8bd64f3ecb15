import { redirect } from '@sveltejs/kit';
import { toLocalInput } from '$lib/domain/time';
import { isScaleId, scaleIds } from '$lib/domain/scales';
import { contextOf, loadOr404, requirePageUser, serviceAction } from '$lib/server/runtime/http';
import { idParam } from '$lib/server/runtime/params';
import { scaleFormOptions } from '$lib/server/services/capture/scale-options';
import { scaleName } from '$lib/server/services/capture/scale-view';
import { recordScaleAdministration, SCALE_LABELS } from '$lib/server/services/capture/scales';
import { scaleFormInput } from '$lib/views/scale-form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePageUser(event, 'coordinator');
	const options = await loadOr404(scaleFormOptions(contextOf(event), idParam(event)));
	const asked = event.url.searchParams.get('instrument');
	const visit = event.url.searchParams.get('visit') ?? '';
	return {
		...options,
		instruments: scaleIds.map((id) => ({ id, label: SCALE_LABELS[id], name: scaleName(id) })),
		instrument: isScaleId(asked) ? asked : null,
		// Only a visit of this participant is preselected; anything else starts with none.
		visitId: options.visits.some((v) => String(v.id) === visit) ? visit : '',
		now: toLocalInput(new Date(), options.timeZone)
	};
};

export const actions: Actions = {
	record: serviceAction(null, async (form, ctx, event) => {
		const scale = await recordScaleAdministration(ctx, idParam(event), scaleFormInput(form));
		redirect(303, `/scales/${scale.id}`);
	})
};

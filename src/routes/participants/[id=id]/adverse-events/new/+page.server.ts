import { redirect } from '@sveltejs/kit';
import { formatAtSite } from '$lib/domain/time';
import { adverseEventFormInput } from '$lib/views/adverse-event-form';
import { contextOf, loadOr404, requirePageUser, serviceAction } from '$lib/server/runtime/http';
import { idParam } from '$lib/server/runtime/params';
import {
	adverseEventFormOptions,
	recordAdverseEvent
} from '$lib/server/services/capture/adverse-events';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePageUser(event, 'coordinator');
	const options = await loadOr404(adverseEventFormOptions(contextOf(event), idParam(event)));
	return {
		...options,
		dosingSessions: options.dosingSessions.map((s) => ({
			id: s.id,
			label: `Session ${s.sessionNumber} · ${formatAtSite(s.t0, options.timeZone)}`
		}))
	};
};

export const actions: Actions = {
	record: serviceAction(null, async (form, ctx, event) => {
		const ae = await recordAdverseEvent(ctx, idParam(event), adverseEventFormInput(form));
		redirect(303, `/adverse-events/${ae.id}`);
	})
};

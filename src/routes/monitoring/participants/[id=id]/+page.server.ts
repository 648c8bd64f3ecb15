import { contextOf, formAction, loadOr404, requirePageUser } from '$lib/server/runtime/http';
import { getParticipant } from '$lib/server/services/capture/participants';
import { verifySource } from '$lib/server/services/monitoring/sdv';
import { participantSdv } from '$lib/server/services/monitoring/sdv-status';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requirePageUser(event, 'monitor', 'coordinator', 'investigator', 'auditor');
	const ctx = contextOf(event);
	const id = Number(event.params.id);
	const [participant, records] = await Promise.all([
		loadOr404(getParticipant(ctx, id)),
		loadOr404(participantSdv(ctx, id))
	]);
	return {
		participantId: participant.id,
		subjectCode: participant.subject_code,
		canVerify: user.role === 'monitor',
		records
	};
};

export const actions: Actions = {
	/** One field, or every outstanding field, of the record the form names. */
	verify: async (event) => {
		const form = await event.request.formData();
		const which = `sdv-${String(form.get('entityType'))}-${String(form.get('entityId'))}`;
		return formAction(
			form,
			async () => {
				await verifySource(contextOf(event), {
					entityType: form.get('entityType'),
					entityId: form.get('entityId'),
					field: form.get('field'),
					source: form.get('source')
				});
				return { verified: which };
			},
			which
		);
	}
};

import { contextOf, loadOr404, requirePageUser, serviceAction } from '$lib/server/runtime/http';
import { idParam } from '$lib/server/runtime/params';
import { getParticipant } from '$lib/server/services/capture/participants';
import { verifySource } from '$lib/server/services/monitoring/sdv';
import { participantSdv } from '$lib/server/services/monitoring/sdv-status';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requirePageUser(event, 'monitor', 'coordinator', 'investigator', 'auditor');
	const ctx = contextOf(event);
	const id = idParam(event);
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

/** The form of one record's field: a failure comes back under it, as does the success. */
const sdvFormName = (form: FormData) =>
	`sdv-${String(form.get('entityType'))}-${String(form.get('entityId'))}`;

export const actions: Actions = {
	/** One field, or every outstanding field, of the record the form names. */
	verify: serviceAction(sdvFormName, async (form, ctx) => {
		await verifySource(ctx, {
			entityType: form.get('entityType'),
			entityId: form.get('entityId'),
			field: form.get('field'),
			source: form.get('source')
		});
		return { verified: sdvFormName(form) };
	})
};

import { formatLocal } from '$lib/domain/time';
import { contextOf, loadOr404, requirePageUser } from '$lib/server/runtime/http';
import { idParam } from '$lib/server/runtime/params';
import { sessionChart } from '$lib/server/services/dashboards/session-chart';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePageUser(event, 'coordinator', 'investigator', 'auditor', 'monitor', 'admin');
	const id = idParam(event);
	// The live channel (./events) invalidates this when a reading, the session or a flag changes.
	event.depends(`vigil:session:${id}`);
	const { context: s, model, fingerprint } = await loadOr404(sessionChart(contextOf(event), id));
	const tz = s.site.timezone;
	const flagged = model.readings.filter((r) => Object.keys(r.levels).length > 0).length;
	return {
		participant: { id: s.participant.id, subjectCode: s.participant.subject_code },
		site: { code: s.site.code, timezone: tz },
		session: {
			id,
			number: s.session.session_number,
			t0: formatLocal(s.session.t0, tz),
			initialDoseMg: s.session.initial_dose_mg,
			supplemental: s.session.supplemental_at
				? `${s.session.supplemental_dose_mg} mg at ${formatLocal(s.session.supplemental_at, tz)}`
				: s.session.supplemental_not_given_reason
					? `Not given: ${s.session.supplemental_not_given_reason}`
					: 'Not yet recorded',
			ended: s.session.ended_at ? formatLocal(s.session.ended_at, tz) : null,
			enteredInError: s.session.entered_in_error_reason
		},
		model,
		flagged,
		fingerprint
	};
};

import { formatLocal } from '$lib/domain/time';
import { contextOf, loadOr404, requirePageUser } from '$lib/server/runtime/http';
import { idParam } from '$lib/server/runtime/params';
import { participantTimeline } from '$lib/server/services/dashboards/participant-timeline';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePageUser(event, 'coordinator', 'investigator', 'auditor', 'monitor', 'admin');
	const t = await loadOr404(participantTimeline(contextOf(event), idParam(event)));
	const p = t.participant;
	return {
		participant: {
			id: p.id,
			subjectCode: p.subject_code,
			status: p.status,
			doseGroup: p.dose_group,
			sex: p.sex,
			birthYear: p.birth_year,
			enrolledOn: p.enrolled_on
		},
		site: { code: t.site.code, name: t.site.name, timezone: t.site.timezone },
		sessions: t.sessions,
		adverseEvents: t.adverseEvents,
		scales: t.scales,
		flags: t.flags,
		signatures: t.signatures,
		reportAt: formatLocal(new Date(), t.site.timezone)
	};
};

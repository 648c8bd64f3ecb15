import { formatLocal, toLocalClock } from '$lib/domain/time';
import { ValidationError } from '$lib/server/runtime/errors';
import { contextOf, loadOr404, requirePageUser } from '$lib/server/runtime/http';
import { siteOverview } from '$lib/server/services/dashboards/site-overview';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePageUser(event, 'coordinator', 'investigator', 'auditor', 'monitor');
	// The page re-reads itself now and then: late readings appear by time passing, not by a save.
	event.depends('vigil:site-overview');
	const overdueAfter = event.url.searchParams.get('overdue');
	const o = await loadOr404(
		siteOverview(contextOf(event), event.params.code, { overdueAfter }).catch((e: unknown) => {
			// A spoilt page link: the first page, not an error page.
			if (e instanceof ValidationError && overdueAfter) {
				return siteOverview(contextOf(event), event.params.code);
			}
			throw e;
		})
	);
	const tz = o.site.timezone;
	return {
		site: { code: o.site.code, name: o.site.name, timezone: tz },
		today: o.today,
		updatedAt: toLocalClock(new Date(), tz),
		sessions: o.sessions,
		lateReadings: o.lateReadings,
		flags: o.flags,
		overdueVisits: o.overdueVisits,
		overdueTotal: o.overdueTotal,
		overdueNext: o.overdueNext ? `?overdue=${encodeURIComponent(o.overdueNext)}#visits-h` : null,
		overdueFirst: overdueAfter ? '?#visits-h' : null,
		saeClocks: o.saeClocks.map((c) => ({
			adverseEventId: c.adverseEventId,
			participantId: c.participantId,
			subjectCode: c.subjectCode,
			term: c.term,
			awareAt: formatLocal(c.awareAt, tz),
			dueAt: formatLocal(c.dueAt, tz),
			overdue: c.overdue
		})),
		enrolment: o.enrolment,
		visits: o.visits,
		onTime: o.onTime
	};
};

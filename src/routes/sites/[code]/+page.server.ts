import { redirect } from '@sveltejs/kit';
import {
	contextOf,
	loadOr404,
	requirePageUser,
	recordId,
	serviceAction
} from '$lib/server/runtime/http';
import { createParticipant, listParticipants } from '$lib/server/services/capture/participants';
import { getSiteByCode } from '$lib/server/services/people/sites';
import { activeProtocol, listStudies } from '$lib/server/services/protocol/studies';
import { overdueVisitsPage } from '$lib/server/services/capture/visits';
import { ValidationError } from '$lib/server/runtime/errors';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requirePageUser(event, 'coordinator', 'investigator', 'auditor', 'monitor');
	const ctx = contextOf(event);
	const site = await loadOr404(getSiteByCode(ctx, event.params.code));
	const overdueAfter = event.url.searchParams.get('overdue');
	const [participants, overdue, studies] = await Promise.all([
		listParticipants(ctx, { siteId: site.id }),
		overdueVisitsPage(ctx, site.id, { after: overdueAfter }).catch((e: unknown) => {
			// A spoilt page link: the first page, not an error page.
			if (e instanceof ValidationError) return overdueVisitsPage(ctx, site.id);
			throw e;
		}),
		listStudies(ctx)
	]);
	const doseGroups = new Set<string>();
	for (const s of studies) {
		for (const g of (await activeProtocol(ctx.db, s.id)).protocol.doseGroups) doseGroups.add(g);
	}
	return {
		site,
		canEnrol: user.role === 'coordinator',
		doseGroups: [...doseGroups],
		studies: studies.map((s) => ({ id: s.id, code: s.code, title: s.title })),
		participants: participants.map((p) => ({
			id: p.id,
			subjectCode: p.subject_code,
			status: p.status,
			doseGroup: p.dose_group,
			enrolledOn: p.enrolled_on
		})),
		overdue: overdue.visits,
		overdueTotal: overdue.total,
		overdueNext: overdue.next ? `?overdue=${encodeURIComponent(overdue.next)}#overdue-h` : null,
		overdueFirst: overdueAfter ? '?#overdue-h' : null
	};
};

export const actions: Actions = {
	enrol: serviceAction(null, async (form, ctx, event) => {
		const site = await getSiteByCode(ctx, event.params.code);
		const participant = await createParticipant(
			ctx,
			{ studyId: recordId(form.get('studyId')), siteId: site.id },
			{
				subjectCode: form.get('subjectCode'),
				sex: form.get('sex'),
				birthYear: form.get('birthYear'),
				doseGroup: form.get('doseGroup'),
				status: form.get('status'),
				enrolledOn: form.get('enrolledOn') || undefined
			}
		);
		redirect(303, `/participants/${participant.id}`);
	})
};

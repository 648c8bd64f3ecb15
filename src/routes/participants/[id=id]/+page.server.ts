import { redirect } from '@sveltejs/kit';
import { toLocalInput } from '$lib/domain/time';
import { participantFields, visitSchedule } from '$lib/server/api/serialize';
import { recordId, serviceAction } from '$lib/server/runtime/http';
import { idParam } from '$lib/server/runtime/params';
import { listAdverseEvents } from '$lib/server/services/capture/adverse-events';
import {
	listDosingSessions,
	startDosingSession
} from '$lib/server/services/capture/dosing-sessions';
import { changeParticipantStatus } from '$lib/server/services/capture/participants';
import { listScaleAdministrations } from '$lib/server/services/capture/scales';
import { getSite } from '$lib/server/services/people/sites';
import { activeProtocol } from '$lib/server/services/protocol/studies';
import { listVisits, recordVisit } from '$lib/server/services/capture/visits';
import {
	DEVIATION_CATEGORIES,
	listDeviations,
	reportDeviation
} from '$lib/server/services/protocol/deviations';
import {
	casebookState,
	freezeCasebook,
	unfreezeCasebook
} from '$lib/server/services/monitoring/freeze-lock';
import { participantPage } from './participant-page.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { user, ctx, id, participant } = await participantPage(event);
	const [site, visits, sessions, adverseEvents, scales, { protocol }, deviations] =
		await Promise.all([
			getSite(ctx, participant.site_id),
			listVisits(ctx, id),
			listDosingSessions(ctx, id),
			listAdverseEvents(ctx, id),
			listScaleAdministrations(ctx, id),
			activeProtocol(ctx.db, participant.study_id),
			listDeviations(ctx, { participantId: id })
		]);
	const sessionByVisit = new Map(sessions.map((s) => [s.visit_id, s.id]));
	const casebook = await casebookState(ctx, id);
	return {
		casebook,
		canFreeze: user.role === 'investigator' || user.role === 'admin',
		canWrite: user.role === 'coordinator' && participant.status !== 'withdrawn',
		canReview: user.role === 'investigator' || user.role === 'auditor',
		participant: { id: participant.id, ...participantFields(participant) },
		site: { code: site.code, name: site.name, timezone: site.timezone },
		visits: visits.map((v) => ({
			id: v.id,
			code: v.visit_code,
			...visitSchedule(v),
			sessionId: sessionByVisit.get(v.id) ?? null,
			scales: protocol.visits.find((pv) => pv.code === v.visit_code)?.scales ?? [],
			dose: protocol.visits.find((pv) => pv.code === v.visit_code)?.dose ?? null
		})),
		sessions: sessions.map((s) => ({
			id: s.id,
			number: s.session_number,
			t0: s.t0,
			initialDoseMg: s.initial_dose_mg,
			supplementalDoseMg: s.supplemental_dose_mg,
			endedAt: s.ended_at
		})),
		adverseEvents: adverseEvents.map((a) => ({
			id: a.id,
			term: a.codedTerm ?? a.verbatimTerm,
			onsetAt: a.onsetAt,
			severity: a.severityLabel,
			serious: a.serious,
			overdue: a.saeClock?.overdue ?? false
		})),
		scales: scales.map((s) => ({
			id: s.id,
			instrument: s.instrumentLabel,
			visit: s.visitCode,
			administeredAt: s.administeredAt,
			total: s.total,
			band: s.band,
			complete: s.complete
		})),
		deviations,
		deviationCategories: DEVIATION_CATEGORIES,
		canRecordDeviation:
			(user.role === 'coordinator' || user.role === 'investigator') &&
			participant.entered_in_error_at === null,
		nowLocal: toLocalInput(new Date(), site.timezone)
	};
};

export const actions: Actions = {
	freeze: serviceAction('freeze', async (form, ctx, event) => {
		const id = idParam(event);
		if (form.get('unfreeze')) await unfreezeCasebook(ctx, id, { reason: form.get('reason') });
		else await freezeCasebook(ctx, id, { reason: form.get('reason') });
		return { frozenChanged: true as const };
	}),
	visit: serviceAction(
		(form) => `visit-${String(form.get('visitId'))}`,
		async (form, ctx) => {
			await recordVisit(ctx, recordId(form.get('visitId')), {
				status: form.get('status'),
				actualOn: form.get('actualOn') || undefined,
				missedReason: form.get('missedReason') || undefined,
				reason: form.get('reason') || undefined,
				deviationReason: form.get('deviationReason') || undefined
			});
			return { saved: 'visit' as const };
		}
	),
	startSession: serviceAction('session', async (form, ctx, event) => {
		const session = await startDosingSession(ctx, idParam(event), {
			visitId: form.get('visitId'),
			t0: form.get('t0'),
			initialDoseMg: form.get('initialDoseMg'),
			deviationReason: form.get('deviationReason') || undefined,
			conmedOverrideReason: form.get('conmedOverrideReason') ?? undefined
		});
		redirect(303, `/sessions/${session.id}`);
	}),
	deviation: serviceAction('deviation', async (form, ctx, event) => {
		await reportDeviation(ctx, idParam(event), {
			category: form.get('category'),
			description: form.get('description'),
			occurredAt: form.get('occurredAt'),
			important: form.get('important') || undefined
		});
		return { saved: 'deviation' as const };
	}),
	status: serviceAction('status', async (form, ctx, event) => {
		await changeParticipantStatus(ctx, idParam(event), {
			status: form.get('status'),
			reason: form.get('reason') || undefined,
			enrolledOn: form.get('enrolledOn') || undefined
		});
		return { saved: 'status' as const };
	})
};

import { formatAtSite, toLocalInputWithSeconds } from '$lib/domain/time';
import { adverseEventFormInput, type AdverseEventFormValues } from '$lib/views/adverse-event-form';
import { seriousnessCriteria } from '$lib/domain/adverse-events';
import { contextOf, loadOr404, requirePageUser, serviceAction } from '$lib/server/runtime/http';
import { idParam } from '$lib/server/runtime/params';
import { signAction } from '$lib/server/runtime/sign-action';
import { recordSponsorReport } from '$lib/server/services/safety/adverse-event-reports';
import { signaturePanel } from '$lib/server/services/signatures/signatures';
import {
	adverseEventFormOptions,
	correctAdverseEvent,
	getAdverseEvent,
	markAdverseEventEnteredInError,
	type AdverseEventView
} from '$lib/server/services/capture/adverse-events';
import type { Actions, PageServerLoad } from './$types';
import { monitoringActions } from '$lib/server/runtime/monitoring-actions';
import { monitoringPanel } from '$lib/server/services/monitoring/panel';

/** The saved event as the correction form's values, times at the site. */
function formValuesOf(ae: AdverseEventView): AdverseEventFormValues {
	const at = (iso: string | null) => (iso ? toLocalInputWithSeconds(iso, ae.timeZone) : '');
	const yesNo = (answer: boolean) => (answer ? 'yes' : 'no');
	return {
		verbatimTerm: ae.verbatimTerm,
		codedTermCode: ae.codedTerm ?? ae.codedTermCode ?? '',
		onsetAt: at(ae.onsetAt),
		endAt: at(ae.endAt),
		awareAt: at(ae.awareAt),
		severity: ae.severity.scale === 'ctcae' ? String(ae.severity.grade) : ae.severity.intensity,
		...Object.fromEntries(seriousnessCriteria.map((c) => [`criteria.${c}`, yesNo(ae.criteria[c])])),
		relatedness: ae.relatedness,
		expectedness: ae.expectedness,
		actionTaken: ae.actionTaken,
		outcome: ae.outcome,
		dosingSessionId: ae.dosingSessionId === null ? '' : String(ae.dosingSessionId),
		notes: ae.notes ?? ''
	};
}

export const load: PageServerLoad = async (event) => {
	const user = requirePageUser(event, 'coordinator', 'investigator', 'auditor', 'monitor', 'admin');
	const ctx = contextOf(event);
	const ae = await loadOr404(getAdverseEvent(ctx, idParam(event)));
	const options = await loadOr404(adverseEventFormOptions(ctx, ae.participantId));
	return {
		ae,
		signing: await loadOr404(signaturePanel(ctx, 'adverse_event', ae.id)),
		monitoring: await loadOr404(monitoringPanel(ctx, 'adverse_event', ae.id)),
		values: formValuesOf(ae),
		// Investigators correct too: seriousness, relatedness and expectedness are their assessment.
		canEdit: (user.role === 'coordinator' || user.role === 'investigator') && !ae.enteredInError,
		canMarkError: user.role === 'coordinator' && !ae.enteredInError,
		canReport: (user.role === 'coordinator' || user.role === 'investigator') && !ae.enteredInError,
		dosingSessions: options.dosingSessions.map((s) => ({
			id: s.id,
			label: `Session ${s.sessionNumber} · ${formatAtSite(s.t0, ae.timeZone)}`
		}))
	};
};

export const actions: Actions = {
	...monitoringActions('adverse_event', (e) => idParam(e)),
	report: serviceAction(
		(form) => `report-${String(form.get('kind'))}`,
		async (form, ctx, event) => {
			await recordSponsorReport(ctx, idParam(event), {
				kind: form.get('kind'),
				reportedAt: form.get('reportedAt')
			});
			return { reported: true };
		}
	),
	sign: (event) => signAction(event, 'adverse_event', idParam(event)),
	correct: serviceAction('correct', async (form, ctx, event) => {
		const corrected = await correctAdverseEvent(ctx, idParam(event), {
			...adverseEventFormInput(form),
			reason: form.get('reason'),
			version: form.get('version')
		});
		return { corrected: corrected.version };
	}),
	enteredInError: serviceAction('enteredInError', async (form, ctx, event) => {
		await markAdverseEventEnteredInError(ctx, idParam(event), {
			reason: form.get('reason')
		});
		return { markedInError: true };
	})
};

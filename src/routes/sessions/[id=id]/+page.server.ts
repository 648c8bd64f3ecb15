import { fail, redirect } from '@sveltejs/kit';
import { toLocalClock, toLocalInput } from '$lib/domain/time';
import { enteredTemperature, measuresOf } from '$lib/domain/vitals';
import {
	contextOf,
	echo,
	formAction,
	loadOr404,
	requirePageUser,
	recordId,
	serviceAction
} from '$lib/server/runtime/http';
import { idParam } from '$lib/server/runtime/params';
import { signAction } from '$lib/server/runtime/sign-action';
import { signaturePanel } from '$lib/server/services/signatures/signatures';
import {
	markDosingSessionEnteredInError,
	updateDosingSession
} from '$lib/server/services/capture/dosing-sessions';
import { sessionView } from '$lib/server/services/capture/session-view';
import {
	ConfirmationNeeded,
	correctVitals,
	markVitalsEnteredInError,
	recordVitals
} from '$lib/server/services/capture/vitals';
import { OFFLINE_COPY_HEADER } from '$lib/offline/session-copy';
import type { Actions, PageServerLoad } from './$types';
import { monitoringActions } from '$lib/server/runtime/monitoring-actions';
import { monitoringPanel } from '$lib/server/services/monitoring/panel';

export const load: PageServerLoad = async (event) => {
	const user = requirePageUser(event, 'coordinator', 'investigator', 'auditor', 'monitor', 'admin');
	const ctx = contextOf(event);
	const v = await loadOr404(sessionView(ctx, idParam(event)));
	const tz = v.site.timezone;
	const reading = (r: (typeof v.unscheduled)[number]) => ({
		id: r.id,
		time: toLocalClock(r.measured_at, tz),
		...measuresOf(r),
		temperatureEntered: enteredTemperature(r.temperature_value, r.temperature_unit),
		position: r.position,
		isBaseline: r.id === v.baselineId,
		notDone: r.not_done_reason,
		enteredInErrorReason: r.entered_in_error_reason
	});
	// The copy a tablet keeps for a reload without network (src/service-worker.ts): what entering
	// and queueing readings needs, without flags, signatures, monitoring or entered-in-error rows.
	const offlineCopy = event.request.headers.get(OFFLINE_COPY_HEADER) === '1';
	return {
		offlineCopy,
		canWrite: user.role === 'coordinator' && !v.session.entered_in_error_at,
		participant: { id: v.participant.id, subjectCode: v.participant.subject_code },
		site: { code: v.site.code, timezone: tz },
		session: {
			id: v.session.id,
			number: v.session.session_number,
			t0: v.session.t0,
			t0Local: toLocalInput(v.session.t0, tz),
			initialDoseMg: v.session.initial_dose_mg,
			supplementalDoseMg: v.session.supplemental_dose_mg,
			supplementalAt: v.session.supplemental_at,
			supplementalAtLocal: toLocalInput(v.session.supplemental_at, tz),
			supplementalNotGivenReason: v.session.supplemental_not_given_reason,
			endedAt: v.session.ended_at,
			enteredInError: v.session.entered_in_error_reason,
			plannedSupplementalMg:
				v.protocol.visits.find((pv) => pv.dose?.session === v.session.session_number)?.dose
					?.supplementalMg ?? null
		},
		rows: v.rows.map((r) => ({
			key: r.key,
			label: r.label,
			plannedTime: r.scheduledAt ? toLocalClock(r.scheduledAt, tz) : '',
			status: r.status,
			minutesLate: r.minutesLate,
			measurements: r.measurements,
			lateness: r.lateness,
			reading: r.reading ? reading(r.reading) : null
		})),
		unscheduled: v.unscheduled.map(reading),
		hold: v.hold,
		// The protocol's rules and the stored readings: the device flags queued readings with them.
		ruleSheet: {
			sessionId: v.session.id,
			timeZone: tz,
			t0: v.session.t0,
			endedAt: v.session.ended_at,
			expectedDurationMinutes: v.protocol.dosingSession.expectedDurationMinutes,
			supplementalDecided: Boolean(
				v.session.supplemental_at || v.session.supplemental_not_given_reason
			),
			timepoints: v.protocol.dosingSession.vitalsTimepoints,
			rules: v.protocol.safetyRules,
			readings: v.ruleReadings.map((r) => ({ ...r, takenAt: String(r.takenAt) }))
		},
		flags: (offlineCopy ? [] : v.flags).map((f) => ({
			id: f.id,
			level: f.level,
			status: f.status,
			message: f.message,
			sourceType: f.sourceType,
			sourceId: f.sourceId,
			raisedAt: f.raisedAt,
			outcome: f.outcome
		})),
		enteredInError: offlineCopy ? [] : v.enteredInError.map(reading),
		signing: offlineCopy
			? null
			: await loadOr404(signaturePanel(ctx, 'dosing_session', v.session.id)),
		monitoring: offlineCopy
			? null
			: await loadOr404(monitoringPanel(ctx, 'dosing_session', v.session.id)),
		nowLocal: toLocalInput(new Date(), tz),
		nowClock: toLocalClock(new Date(), tz)
	};
};

function entry(form: FormData) {
	return {
		timepoint: form.get('timepoint'),
		takenAt: form.get('takenAt'),
		systolic: form.get('systolic'),
		diastolic: form.get('diastolic'),
		heartRate: form.get('heartRate'),
		temperature: form.get('temperature'),
		temperatureUnit: form.get('temperatureUnit') ?? 'C',
		position: form.get('position') || null,
		confirmed: form.get('confirmed'),
		clientKey: form.get('clientKey'),
		reason: form.get('reason')
	};
}

/** A reading's save or correction; soft-check warnings come back to be confirmed. */
async function saveReading(form: FormData, work: () => Promise<unknown>) {
	const which = `row-${String(form.get('rowKey'))}`;
	let warnings: ConfirmationNeeded['warnings'] | null = null;
	const result = await formAction(
		form,
		async () => {
			try {
				await work();
			} catch (e) {
				if (e instanceof ConfirmationNeeded) warnings = e.warnings;
				throw e;
			}
			return { saved: which };
		},
		which
	);
	if (warnings) {
		return fail(409, {
			message: 'Please check these values and confirm them.',
			errors: {},
			warnings,
			values: echo(form),
			which
		});
	}
	return result;
}

export const actions: Actions = {
	...monitoringActions('dosing_session', (e) => idParam(e)),
	sign: (event) => signAction(event, 'dosing_session', idParam(event)),
	reading: async (event) => {
		const form = await event.request.formData();
		return saveReading(form, () => recordVitals(contextOf(event), idParam(event), entry(form)));
	},
	correct: async (event) => {
		const form = await event.request.formData();
		const result = await saveReading(form, () =>
			correctVitals(contextOf(event), recordId(form.get('readingId')), entry(form))
		);
		// Saved: leave correction mode (the ?correct= in the address).
		if ('saved' in result) redirect(303, event.url.pathname);
		return result;
	},
	readingError: serviceAction(
		(form) => `row-${String(form.get('rowKey'))}`,
		async (form, ctx, event) => {
			await markVitalsEnteredInError(ctx, recordId(form.get('readingId')), {
				reason: form.get('reason')
			});
			// Done: leave correction mode, as after a correction.
			redirect(303, event.url.pathname);
		}
	),
	session: serviceAction(
		(form) => String(form.get('which') ?? 'session'),
		async (form, ctx, event) => {
			// The supplemental-dose form says given or not given; nothing is chosen for the user.
			if (form.get('which') === 'supplemental' && !form.get('supplemental')) {
				return fail(422, {
					message: 'Please correct the highlighted fields.',
					errors: { supplemental: ['Choose whether the supplemental dose was given.'] },
					values: echo(form),
					which: 'supplemental'
				});
			}
			await updateDosingSession(ctx, idParam(event), Object.fromEntries(form));
			return { saved: 'session' };
		}
	),
	sessionError: serviceAction('session-error', async (form, ctx, event) => {
		await markDosingSessionEnteredInError(ctx, idParam(event), {
			reason: form.get('reason')
		});
		return { saved: 'session-error' };
	})
};

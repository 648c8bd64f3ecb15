// Consent, randomisation, emergency unblinding and concomitant medications of one participant:
// doors to services/trial. No arm is ever in this page's data; the unblinding action returns it
// once, in the action result of the investigator who unblinded.
import { toLocalInput } from '$lib/domain/time';
import { recordId, serviceAction } from '$lib/server/runtime/http';
import { idParam } from '$lib/server/runtime/params';
import { vigil } from '$lib/server/runtime/app';
import { getSite } from '$lib/server/services/people/sites';
import { participantConsent, recordConsent } from '$lib/server/services/trial/consent';
import {
	correctConmed,
	listConmeds,
	markConmedEnteredInError,
	recordConmed
} from '$lib/server/services/trial/conmeds';
import {
	participantRandomisation,
	randomiseParticipant
} from '$lib/server/services/trial/randomisation';
import { emergencyUnblind } from '$lib/server/services/trial/unblinding';
import { eproInstrumentsFor, issueEproLink, listEproLinks } from '$lib/server/services/trial/epro';
import { participantArm } from '$lib/server/services/trial/pharmacy';
import {
	guessTimepoints,
	listBlindingGuesses,
	markBlindingGuessEnteredInError,
	recordBlindingGuess
} from '$lib/server/services/trial/blinding-guesses';
import { CONFIDENCE_LEVELS, RESPONDENTS } from '$lib/domain/blinding';
import { GUESS_LABELS } from '$lib/schemas/blinding-guess';
import { activeProtocol } from '$lib/server/services/protocol/studies';
import { CONMED_ROUTES } from '$lib/schemas/conmed';
import { ATC_INGREDIENTS } from '$lib/domain/conmeds';
import { participantPage } from '../participant-page.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { user, ctx, id, participant } = await participantPage(event);
	const [site, consent, randomisation, conmeds, { protocol }, guesses, timepoints, arm] =
		await Promise.all([
			getSite(ctx, participant.site_id),
			participantConsent(ctx, id),
			participantRandomisation(ctx, id),
			listConmeds(ctx, id),
			activeProtocol(ctx.db, participant.study_id),
			listBlindingGuesses(ctx, id),
			guessTimepoints(ctx, id),
			// Null unless this reader may know arms now (after database lock): the service decides.
			participantArm(ctx, id)
		]);
	const [eproLinks, eproInstruments] = await Promise.all([
		listEproLinks(ctx, id),
		eproInstrumentsFor(ctx, id)
	]);
	const writable = user.role === 'coordinator' && participant.status !== 'withdrawn';
	return {
		participant: { id, subjectCode: participant.subject_code, status: participant.status },
		site: { code: site.code, timezone: site.timezone },
		canWrite: writable,
		canRandomise: writable && protocol.randomisation.enabled && !randomisation.randomised,
		canUnblind:
			user.role === 'investigator' && randomisation.randomised && !randomisation.unblindedAt,
		consent: {
			versions: consent.versions.map((v) => ({
				id: v.id,
				label: v.label,
				activeFrom: v.active_from,
				reconsentRequired: v.reconsent_required === 1
			})),
			records: consent.records.map((r) => ({
				id: r.id,
				version: consent.versions.find((v) => v.id === r.form_version_id)?.label ?? '?',
				signedAt: r.signed_at,
				signer: r.signer === 'lar' ? `${r.lar_name} (${r.lar_relation}, LAR)` : 'Participant',
				obtainedBy: r.obtained_by_name,
				witness: r.witness_name,
				copy: r.copy_given_on ? `${r.copy_given_on}, ${r.copy_medium}` : null,
				reconsentReason: r.reconsent_reason,
				withdrawnAt: r.withdrawn_at,
				enteredInError: r.entered_in_error_at !== null
			})),
			validity: consent.validity.valid
				? { valid: true as const, message: `Valid: version ${consent.validity.version.label}.` }
				: { valid: false as const, message: consent.validity.message }
		},
		randomisation,
		arm,
		conmeds: conmeds.map((m) => ({
			id: m.id,
			name: m.name,
			ingredient: m.ingredient,
			atcCode: m.atc_code,
			atcClass: m.atc_class,
			dose: m.dose === null ? null : `${m.dose} ${m.dose_unit ?? ''}`.trim(),
			frequency: m.frequency,
			route: m.route,
			indication: m.indication,
			start: m.start_date,
			stop: m.stop_date,
			warnings: m.warnings
		})),
		guesses: guesses.map((g) => ({
			id: g.id,
			respondent: g.respondent,
			timepoint: g.timepoint,
			// In neutral words: the page never names an arm, so no label can be mistaken for a leak.
			guess: GUESS_LABELS[g.guess as keyof typeof GUESS_LABELS] ?? g.guess,
			confidence: g.confidence,
			recordedAt: g.recorded_at,
			enteredInError: g.entered_in_error_at !== null,
			errorReason: g.entered_in_error_reason
		})),
		guessOptions: {
			timepoints,
			respondents: RESPONDENTS,
			confidence: CONFIDENCE_LEVELS,
			guesses: Object.entries(GUESS_LABELS).map(([value, label]) => ({ value, label }))
		},
		eproLinks,
		eproInstruments,
		routes: CONMED_ROUTES,
		ingredients: ATC_INGREDIENTS.map((i) => i.ingredient),
		nowLocal: toLocalInput(new Date(), site.timezone)
	};
};

const text = (form: FormData, key: string) => {
	const v = form.get(key);
	return typeof v === 'string' ? v : undefined;
};

const CONMED_FIELDS = [
	'name',
	'ingredient',
	'atcCode',
	'dose',
	'doseUnit',
	'frequency',
	'route',
	'indication',
	'start',
	'stop',
	'reason'
];

export const actions: Actions = {
	consent: serviceAction('consent', async (form, ctx, event) => {
		await recordConsent(ctx, idParam(event), {
			formVersionId: text(form, 'formVersionId'),
			signedAt: text(form, 'signedAt'),
			signer: text(form, 'signer'),
			larName: text(form, 'larName'),
			larRelation: text(form, 'larRelation'),
			obtainedByName: text(form, 'obtainedByName'),
			witnessName: text(form, 'witnessName'),
			copyGivenOn: text(form, 'copyGivenOn'),
			copyMedium: text(form, 'copyMedium'),
			reconsentReason: text(form, 'reason')
		});
		return { saved: 'consent' as const };
	}),
	randomise: serviceAction('randomise', async (_form, ctx, event) => {
		const r = await randomiseParticipant(ctx, idParam(event));
		return { saved: 'randomised' as const, kit: r.kit };
	}),
	unblind: serviceAction('unblind', async (form, ctx, event) => {
		const { config } = vigil();
		const r = await emergencyUnblind(
			ctx,
			idParam(event),
			{
				reason: text(form, 'unblindReason'),
				confirm: text(form, 'confirm'),
				password: text(form, 'password')
			},
			{ smtpUrl: config.alerts.smtpUrl ?? undefined, from: config.alerts.from }
		);
		// Shown once: this action result is the only place the arm ever reaches a page.
		return { saved: 'unblinded' as const, arm: r.armLabel, kit: r.kit, mailed: r.mail.sent };
	}),
	conmed: serviceAction(
		(form) => (text(form, 'conmedId') ? `conmed-${text(form, 'conmedId')}` : 'conmed'),
		async (form, ctx, event) => {
			const fields = Object.fromEntries(CONMED_FIELDS.map((k) => [k, text(form, k)]));
			const conmedId = text(form, 'conmedId');
			if (conmedId) await correctConmed(ctx, recordId(conmedId), fields);
			else await recordConmed(ctx, idParam(event), fields);
			return { saved: 'conmed' as const };
		}
	),
	epro: serviceAction('epro', async (form, ctx, event) => {
		const link = await issueEproLink(ctx, idParam(event), {
			instrument: text(form, 'instrument'),
			mode: text(form, 'mode')
		});
		// Shown once: Vigil keeps only the token's hash.
		return {
			saved: 'epro' as const,
			eproUrl: `${event.url.origin}/epro/${link.token}`,
			eproExpiresAt: link.expiresAt,
			eproMode: link.mode
		};
	}),
	guess: serviceAction('guess', async (form, ctx, event) => {
		await recordBlindingGuess(ctx, idParam(event), {
			respondent: text(form, 'respondent'),
			timepoint: text(form, 'timepoint'),
			guess: text(form, 'guess'),
			confidence: text(form, 'confidence')
		});
		return { saved: 'guess' as const };
	}),
	guessError: serviceAction(
		(form) => `guess-error-${text(form, 'guessId')}`,
		async (form, ctx) => {
			await markBlindingGuessEnteredInError(ctx, recordId(text(form, 'guessId')), {
				reason: text(form, 'reason')
			});
			return { saved: 'guess' as const };
		}
	),
	conmedError: serviceAction(
		(form) => `conmed-error-${text(form, 'conmedId')}`,
		async (form, ctx) => {
			await markConmedEnteredInError(ctx, recordId(text(form, 'conmedId')), {
				reason: text(form, 'reason')
			});
			return { saved: 'conmed' as const };
		}
	)
};

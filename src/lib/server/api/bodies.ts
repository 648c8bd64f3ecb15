// The request bodies the OpenAPI document shows, by component name: the schemas the services
// parse with (shared from src/lib/schemas), and the API's own envelopes from ./schemas.
import { z } from 'zod';
import { eproLinkInput } from '../services/trial/epro';
import { adverseEventInput } from '../../schemas/adverse-event';
import { blindingGuessInput } from '../../schemas/blinding-guess';
import { conmedInput } from '../../schemas/conmed';
import {
	consentFormVersionInput,
	consentRecordInput,
	consentWithdrawalInput
} from '../../schemas/consent';
import { deviationInput, deviationReviewInput } from '../../schemas/deviation';
import { dosingSessionStart, dosingSessionUpdateObject } from '../../schemas/dosing-session';
import {
	flagActionInput,
	flagCloseInput,
	flagGroupActionInput,
	flagGroupCloseInput,
	flagGroupInput
} from '../../schemas/flag';
import { participantStatusChange, visitRecordInput } from '../../schemas/participant';
import { administrationInput } from '../../schemas/scales';
import { vitalsEntryObject } from '../../schemas/vitals';
import { signManyInput } from '../../schemas/review-queue';
import { queryStepInput, raiseQueryInput } from '../services/monitoring/queries';
import { verifyInput } from '../services/monitoring/sdv';
import {
	correctionFields,
	participantCreateBody,
	reasonBody,
	scaleEnvelope,
	vitalsBatchBody,
	vitalsCorrectionBody
} from './schemas';

/** The same schemas the services parse with; factories get UTC and the present instant. */
export function requestBodies(now: Date) {
	const adverseEvent = adverseEventInput({ severityScale: 'ctcae', now, timeZone: 'UTC' });
	const scale = z.intersection(administrationInput, scaleEnvelope);
	return {
		participantCreate: { name: 'ParticipantCreate', schema: participantCreateBody(now) },
		statusChange: { name: 'ParticipantStatusChange', schema: participantStatusChange },
		visitRecord: { name: 'VisitRecord', schema: visitRecordInput },
		sessionStart: { name: 'DosingSessionStart', schema: dosingSessionStart('UTC') },
		sessionUpdate: { name: 'DosingSessionUpdate', schema: dosingSessionUpdateObject('UTC') },
		reason: { name: 'EnteredInError', schema: reasonBody },
		vitals: { name: 'VitalsEntry', schema: vitalsEntryObject },
		vitalsBatch: { name: 'VitalsBatch', schema: vitalsBatchBody },
		vitalsCorrection: { name: 'VitalsCorrection', schema: vitalsCorrectionBody },
		adverseEvent: { name: 'AdverseEvent', schema: adverseEvent },
		adverseEventCorrection: {
			name: 'AdverseEventCorrection',
			schema: z.intersection(adverseEvent, correctionFields)
		},
		scale: { name: 'ScaleAdministration', schema: scale },
		flagAction: { name: 'FlagAction', schema: flagActionInput },
		deviation: { name: 'ProtocolDeviation', schema: deviationInput('UTC') },
		deviationReview: { name: 'ProtocolDeviationReview', schema: deviationReviewInput },
		flagClose: { name: 'FlagClose', schema: flagCloseInput },
		flagGroup: { name: 'FlagGroup', schema: flagGroupInput },
		flagGroupAction: { name: 'FlagGroupAction', schema: flagGroupActionInput },
		flagGroupClose: { name: 'FlagGroupClose', schema: flagGroupCloseInput },
		signMany: { name: 'SignRecords', schema: signManyInput },
		raiseQuery: { name: 'DataQueryRaise', schema: raiseQueryInput },
		queryStep: { name: 'DataQueryStep', schema: queryStepInput },
		verifySource: { name: 'SourceVerification', schema: verifyInput },
		blindingGuess: { name: 'BlindingGuess', schema: blindingGuessInput },
		consentFormVersion: { name: 'ConsentFormVersion', schema: consentFormVersionInput },
		consentRecord: { name: 'ConsentRecord', schema: consentRecordInput('UTC') },
		consentWithdrawal: { name: 'ConsentWithdrawal', schema: consentWithdrawalInput('UTC') },
		conmed: { name: 'ConcomitantMedication', schema: conmedInput },
		eproLink: { name: 'EproLinkIssue', schema: eproLinkInput },
		eproAnswers: {
			name: 'EproAnswers',
			schema: z.object({
				/** Item number → the chosen option's value, as the form lists them. */
				items: z.record(z.string(), z.string()),
				/** The device's clock when the participant submitted (ISO 8601 with offset). */
				deviceTime: z.string().optional(),
				/** The device's IANA time zone. */
				deviceZone: z.string().optional()
			})
		},
		optionalReason: { name: 'OptionalReason', schema: z.object({ reason: z.string().optional() }) },
		unlockApproval: { name: 'UnlockApproval', schema: z.object({ note: z.string().optional() }) },
		scaleCorrection: {
			name: 'ScaleAdministrationCorrection',
			schema: z.intersection(administrationInput, scaleEnvelope.partial())
		}
	};
}

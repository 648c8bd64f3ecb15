// What the API adds around the shared input schemas: where a new participant goes, query strings,
// reasons, and the error shape. The OpenAPI document is generated from these and the shared ones.
import { z } from 'zod';
import { plainNumber, reasonText } from '../../schemas/input';
import { participantInput } from '../../schemas/participant';
import { fieldErrorsOf } from '../../schemas/parse';
import { vitalsBatchInput, vitalsEntryObject } from '../../schemas/vitals';
import { ValidationError } from '../runtime/errors';
import { pageParams } from './cursor';

const id = (what: string) =>
	z
		.number({ error: `Give the ${what} id as a number.` })
		.int()
		.positive(`Give the ${what} id.`);

/** The site and study a new participant joins, beside the participant's own fields. */
export const participantWhere = z.object({ siteId: id('site'), studyId: id('study') });

export const participantCreateBody = (now: Date) =>
	z.intersection(participantWhere, participantInput(now));

/** Where, or every field's problem at once (the participant's fields too, not only siteId). */
export function parseParticipantWhere(body: unknown, now: Date): z.infer<typeof participantWhere> {
	const result = participantWhere.safeParse(body);
	if (result.success) return result.data;
	const rest = participantInput(now).safeParse(body);
	throw new ValidationError({
		...(rest.success ? {} : fieldErrorsOf(rest.error)),
		...fieldErrorsOf(result.error)
	});
}

const flag = z.enum(['true', 'false']).optional();

export const participantListQuery = z.object({
	siteId: z.preprocess(
		plainNumber,
		z.number({ error: 'Give the site id as a number.' }).int().positive().optional()
	),
	...pageParams
});

/** GET /sdv-progress: a page of sites and their participants. */
export const sdvProgressQuery = z.object({ ...pageParams });

/** GET /flags: open flags unless `open=false`; the filters narrow within your sites. */
export const flagListQuery = z.object({
	open: flag,
	siteId: z.preprocess(plainNumber, z.number().int().positive().optional()),
	participantId: z.preprocess(plainNumber, z.number().int().positive().optional()),
	sessionId: z.preprocess(plainNumber, z.number().int().positive().optional()),
	...pageParams
});

/** Protocol deviations at your sites, or at one. */
export const deviationListQuery = z.object({
	siteId: z.coerce.number().int().positive().optional()
});

export const includeEnteredInErrorQuery = z.object({ includeEnteredInError: flag });

export const scaleListQuery = z.object({
	instrument: z.string().optional(),
	includeEnteredInError: flag
});

/** Marking a record entered in error always says why. */
export const reasonBody = z.object({ reason: reasonText('Give a reason.') });

export const vitalsCorrectionBody = vitalsEntryObject.omit({ clientKey: true }).extend({
	reason: reasonText('Give a reason.')
});

/** The service reads each reading with vitalsEntryInput, so the document shows that shape. */
export const vitalsBatchBody = vitalsBatchInput.extend({
	readings: z.array(vitalsEntryObject).min(1).max(500)
});

/** A correction is the whole record again, the version that was read, and the reason. */
export const correctionFields = z.object({
	version: z.number().int().positive().optional(),
	reason: z.string().optional()
});

/**
 * The fields scale-input.ts reads around `{ instrument, items }` (its envelope is private there;
 * this copy is for the document only, the service does the reading).
 */
export const scaleEnvelope = z.object({
	visitId: z.number().int().positive().nullable().optional(),
	administeredAt: z.string().min(1),
	incomplete: z.boolean().optional(),
	version: z.number().int().positive().optional(),
	reason: z.string().optional()
});

const fieldMessage = z.object({ path: z.string(), message: z.string() });

export const apiError = z.object({
	error: z.object({
		status: z.number().int(),
		message: z.string(),
		fields: z.array(fieldMessage),
		warnings: z.array(fieldMessage).optional(),
		requestId: z.string().optional()
	})
});

// The review queue's filters and paging, as a GET query string carries them (the page's form and
// GET /api/v1/review-queue), and the body that signs one or many records.
import { z } from 'zod';
import { blank, day, positive } from './query';
import { plainNumber } from './input';

const SIGNABLE = [
	'dosing_session',
	'adverse_event',
	'scale_administration',
	'protocol_deviation'
] as const;

export const REVIEW_PAGE_SIZE = 50;

export const reviewQueueQuery = z
	.object({
		type: z.preprocess(blank, z.enum(SIGNABLE, { error: 'Choose a record type.' }).optional()),
		participantId: positive('participant id'),
		/** A subject code, as typed (the page's filter; an unknown code matches no record). */
		participant: z.preprocess(
			blank,
			z.string().trim().max(64, 'A subject code is at most 64 characters.').optional()
		),
		siteId: positive('site id'),
		/** Inclusive UTC days of the record's own time (T0, onset, administration). */
		from: day,
		to: day,
		/** `true`: only records changed since they were signed; `false`: only never-signed ones. */
		changed: z.preprocess(blank, z.enum(['true', 'false']).optional()),
		order: z.preprocess(blank, z.enum(['newest', 'oldest']).optional()),
		page: positive('page'),
		pageSize: z.preprocess(blank, z.coerce.number().int().min(1).max(500).optional())
	})
	.refine((f) => !f.from || !f.to || f.from <= f.to, {
		path: ['to'],
		message: 'The end date is before the start date.'
	});
export type ReviewQueueQuery = z.infer<typeof reviewQueueQuery>;

/** One record as the signer saw it: a change since then refuses the signing. */
export const signedRecordRef = z.object({
	entityType: z.enum(SIGNABLE),
	entityId: z.preprocess(plainNumber, z.number().int().positive()),
	/** The review version the preview showed. */
	version: z.preprocess(plainNumber, z.number().int().positive()).optional()
});

export const signatureMeaningInput = z.enum(['reviewed', 'approved', 'responsible'], {
	error: 'Choose what your signature means.'
});

/**
 * Signing components. 21 CFR 11.200(a)(1)(i): the first signing of a continuous session uses both
 * (user id and password); later signings in the same sign-in session may use the password alone.
 */
export const signingComponents = z.object({
	userId: z.preprocess(
		blank,
		z
			.string({ error: 'Enter your user id (your sign-in email) to sign.' })
			.trim()
			.toLowerCase()
			.optional()
	),
	password: z
		.string({ error: 'Enter your password to sign.' })
		.min(1, 'Enter your password to sign.')
});

export const signManyInput = signingComponents.extend({
	meaning: signatureMeaningInput,
	records: z
		.array(signedRecordRef, { error: 'Choose the records to sign.' })
		.min(1, 'Choose at least one record to sign.')
		.max(500, 'Sign at most 500 records at once.')
});

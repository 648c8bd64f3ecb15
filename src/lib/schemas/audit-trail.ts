// The audit trail explorer's filters, as a GET query string carries them (the page's form, the CSV
// download and GET /api/v1/audit): empty fields are "no filter".
import { z } from 'zod';
import { blank, day, daysInOrder, positive } from './query';

const text = (max: number) => z.preprocess(blank, z.string().trim().max(max).optional());

export const auditTrailQuery = z
	.object({
		/** A subject code: the participant and every record that belongs to them. */
		participant: text(40),
		/** One record: its type (`vital_reading`, `adverse_event` …) and id. */
		entityType: z.preprocess(
			blank,
			z
				.string()
				.regex(/^[a-z_]{1,40}$/, 'A record type is lower case, such as vital_reading.')
				.optional()
		),
		entityId: text(40),
		/** Part of the actor's email or label. */
		user: text(200),
		/** An action (`vitals.update`), or a family of them (`flag`). */
		action: z.preprocess(
			blank,
			z
				.string()
				.regex(/^[a-z_]+(\.[a-z_]+)?$/, 'An action looks like vitals.update, or flag.')
				.optional()
		),
		siteId: positive('site id'),
		/** Inclusive UTC days. */
		from: day,
		to: day,
		/** Newest-first paging: events before this sequence number. */
		before: positive('sequence number'),
		limit: z.preprocess(blank, z.coerce.number().int().min(1).max(500).optional())
	})
	.refine(...daysInOrder)
	.refine((f) => f.entityId === undefined || f.entityType !== undefined, {
		path: ['entityType'],
		message: 'Choose the record type for the record id.'
	});

export type AuditTrailQuery = z.infer<typeof auditTrailQuery>;

/** The filters that narrow the trail (everything but paging). */
export const AUDIT_FILTER_KEYS = [
	'participant',
	'entityType',
	'entityId',
	'user',
	'action',
	'siteId',
	'from',
	'to'
] as const;

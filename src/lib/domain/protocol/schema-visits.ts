import { z } from 'zod';
import { SCALE_IDS, VISIT_KINDS } from './codes';

/** A visit code as written on the visit form, e.g. SCR, BL, PREP1, DS1, INT1a, FU12M. */
export const visitCodeSchema = z
	.string()
	.regex(
		/^[A-Za-z][A-Za-z0-9_-]{0,15}$/,
		'Use 1–16 letters, digits, _ or -, starting with a letter.'
	);
export type VisitCode = z.infer<typeof visitCodeSchema>;

/**
 * What a visit's planned date counts from: the enrolment date, an earlier visit (its actual date
 * once known, else its planned date), or the last dosing session.
 */
export const visitAnchorSchema = z.union(
	[z.literal('enrolment'), z.literal('last-dosing'), z.strictObject({ visit: visitCodeSchema })],
	{ error: 'Use "enrolment", "last-dosing" or { "visit": "<code of an earlier visit>" }.' }
);
export type VisitAnchor = z.infer<typeof visitAnchorSchema>;

const days = z.number().int();

export const visitWindowSchema = z.strictObject({
	minusDays: days.nonnegative(),
	plusDays: days.nonnegative()
});
export type VisitWindow = z.infer<typeof visitWindowSchema>;

/** Planned doses of one dosing session. [S] 80 or 120 mg initial; 40 or 60 mg supplemental. */
export const plannedDoseSchema = z.strictObject({
	/** 1 for the first dosing session, 2 for the second … */
	session: z.number().int().positive(),
	initialMg: z.number().positive(),
	/** null when no supplemental dose is planned. */
	supplementalMg: z.number().positive().nullable()
});
export type PlannedDose = z.infer<typeof plannedDoseSchema>;

export const visitSchema = z.strictObject({
	code: visitCodeSchema,
	label: z.string().trim().min(1, 'Give the visit a label.').max(100),
	kind: z.enum(VISIT_KINDS, { error: `Use one of ${VISIT_KINDS.join(', ')}.` }),
	anchor: visitAnchorSchema,
	offsetDays: days,
	window: visitWindowSchema,
	/** Scales given at this visit. */
	scales: z.array(z.enum(SCALE_IDS, { error: `Use one of ${SCALE_IDS.join(', ')}.` })).default([]),
	/** Dosing visits only. */
	dose: plannedDoseSchema.optional()
});
export type Visit = z.infer<typeof visitSchema>;

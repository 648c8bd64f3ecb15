import { z } from 'zod';
import { VITAL_MEASURES } from './codes';

// How a dosing session runs: when vitals are due, when the supplemental dose may be given, and
// which jumps between readings ask the nurse to confirm what was typed.

export const vitalsTimepointSchema = z.strictObject({
	/** SDTM VSTPT, e.g. "PRE-DOSE" or "1.5 H POST-DOSE". */
	vstpt: z.string().trim().min(1, 'Give the timepoint a label.').max(60),
	/** SDTM VSTPTNUM: the timepoint's order in the session. */
	vstptnum: z.number().int().nonnegative(),
	/** Minutes from T0 (the initial dose), or "end" for the end of the session. */
	minutes: z.union([z.number().int(), z.literal('end')], {
		error: 'Use whole minutes from the initial dose (negative before it), or "end".'
	}),
	measurements: z
		.array(z.enum(VITAL_MEASURES))
		.min(1, 'List at least one measurement due at this timepoint.')
});
export type VitalsTimepoint = z.infer<typeof vitalsTimepointSchema>;

const minutes = z.number().int().nonnegative();

/** Largest believable change from the previous reading of the session, per measure. */
export const softChecksSchema = z.strictObject({
	systolic: z.number().positive(),
	diastolic: z.number().positive(),
	heartRate: z.number().positive(),
	temperature: z.number().positive()
});
export type SoftChecks = z.infer<typeof softChecksSchema>;

export const dosingSessionSchema = z.strictObject({
	/** SDTM VSTPTREF: what T0 is. */
	timepointReference: z.string().trim().min(1),
	expectedDurationMinutes: minutes,
	/** When the supplemental dose may be given, in minutes from T0. */
	supplementalDoseMinutes: z.strictObject({ earliest: minutes, latest: minutes }),
	vitalsTimepoints: z.array(vitalsTimepointSchema).min(1, 'List at least one vitals timepoint.'),
	softChecks: softChecksSchema
});
export type DosingSession = z.infer<typeof dosingSessionSchema>;

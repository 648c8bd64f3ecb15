import { z } from 'zod';
import { FLAG_LEVELS, VITAL_MEASURES } from './codes';
import { comparisonSchema, highComparisonSchema, lowComparisonSchema } from './comparison';

const level = z.enum(FLAG_LEVELS, { error: 'Use notify, action or urgent.' });
const enabled = z.boolean();

const highBandsSchema = z.strictObject({
	notify: highComparisonSchema,
	action: highComparisonSchema,
	urgent: highComparisonSchema
});

/** The low side: notify is required; action and urgent are off unless the protocol sets them. */
const lowBandsSchema = z.strictObject({
	notify: lowComparisonSchema,
	action: lowComparisonSchema.optional(),
	urgent: lowComparisonSchema.optional()
});

export const measureBandsSchema = z.strictObject({ high: highBandsSchema, low: lowBandsSchema });
export type MeasureBands = z.infer<typeof measureBandsSchema>;

/** Absolute bands per measure: high side notify < action < urgent; low side notify only by default. */
export const vitalsBandsSchema = z.strictObject({
	systolic: measureBandsSchema,
	diastolic: measureBandsSchema,
	heartRate: measureBandsSchema,
	temperature: measureBandsSchema
});
export type VitalsBands = z.infer<typeof vitalsBandsSchema>;

/**
 * Change from the pre-dose baseline: reading − baseline in the measure's unit ("absolute"), or that
 * difference as a percent of the baseline ("percent"). A fall is written with < or <= and a
 * negative value.
 */
export const changeRuleSchema = z.strictObject({
	measure: z.enum(VITAL_MEASURES),
	basis: z.enum(['absolute', 'percent']),
	change: comparisonSchema,
	level
});
export type ChangeRule = z.infer<typeof changeRuleSchema>;

/** `consecutiveReadings` readings in a row at `triggerLevel` or above, the first and last at least
 * `minMinutesApart` apart, raise `level`. */
export const sustainedRuleSchema = z.strictObject({
	enabled,
	triggerLevel: level,
	consecutiveReadings: z.number().int().min(2, 'Sustained needs at least 2 readings.'),
	minMinutesApart: z.number().int().nonnegative(),
	level
});
export type SustainedRule = z.infer<typeof sustainedRuleSchema>;

export const missedReadingRuleSchema = z.strictObject({
	enabled,
	minutesLate: z.number().int().positive(),
	level
});
export type MissedReadingRule = z.infer<typeof missedReadingRuleSchema>;

/** A flag at `holdAtLevel` or above since T0 holds the supplemental dose. */
export const supplementalGateSchema = z.strictObject({ enabled, holdAtLevel: level });
export type SupplementalGateRule = z.infer<typeof supplementalGateSchema>;

/** The vitals part of the safety rules. */
export const vitalsRulesShape = {
	vitals: vitalsBandsSchema,
	vitalsChange: z.array(changeRuleSchema),
	sustained: sustainedRuleSchema,
	missedReading: missedReadingRuleSchema,
	supplementalGate: supplementalGateSchema
};

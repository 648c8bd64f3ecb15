import { z } from 'zod';
import { AE_SEVERITY_SCALES, FLAG_LEVELS, SCORED_SCALE_IDS } from './codes';
import { comparisonSchema } from './comparison';
import { vitalsRulesShape } from './schema-vitals-rules';

const level = z.enum(FLAG_LEVELS, { error: 'Use notify, action or urgent.' });
const enabled = z.boolean();
const text = z.string().trim().min(1, 'Write the text.');

/** A score on one item of a scale, e.g. MADRS item 10 ≥ 4 → urgent. */
export const scaleItemRuleSchema = z.strictObject({
	scale: z.enum(SCORED_SCALE_IDS),
	item: z.number().int().positive(),
	score: comparisonSchema,
	level
});
export type ScaleItemRule = z.infer<typeof scaleItemRuleSchema>;

const ideationType = z
	.number()
	.int()
	.min(1, 'C-SSRS ideation types are 1 to 5.')
	.max(5, 'C-SSRS ideation types are 1 to 5.');

export const cssrsRuleSchema = z.strictObject({
	ideation: z.strictObject({ enabled, types: z.array(ideationType).min(1), level }),
	behaviour: z.strictObject({ enabled, level })
});
export type CssrsRule = z.infer<typeof cssrsRuleSchema>;

/** The primary scale's total this far above the participant's baseline at n visits in a row. */
export const worseningRuleSchema = z.strictObject({
	enabled,
	percentAboveBaseline: comparisonSchema,
	consecutiveVisits: z.number().int().positive(),
	level
});
export type WorseningRule = z.infer<typeof worseningRuleSchema>;

export const adverseEventRulesSchema = z.strictObject({
	severityScale: z.enum(AE_SEVERITY_SCALES),
	serious: z.strictObject({ enabled, level, reportWithinHours: z.number().positive() }),
	/** Compared with the CTCAE grade, or mild = 1, moderate = 2, severe = 3. */
	severity: z.strictObject({ enabled, grade: comparisonSchema, level }),
	specialInterest: z.strictObject({ enabled, level, terms: z.array(text) }),
	susarReportDays: z.strictObject({
		fatalOrLifeThreatening: z.number().int().positive(),
		other: z.number().int().positive()
	})
});
export type AdverseEventRules = z.infer<typeof adverseEventRulesSchema>;

export const escalationRuleSchema = z.strictObject({
	enabled,
	unacknowledgedLevel: level,
	afterMinutes: z.number().int().positive()
});
export type EscalationRule = z.infer<typeof escalationRuleSchema>;

/** The instruction shown with a flag of each level. */
export const levelMessagesSchema = z.strictObject({ notify: text, action: text, urgent: text });
export type LevelMessages = z.infer<typeof levelMessagesSchema>;

export const safetyRulesSchema = z.strictObject({
	...vitalsRulesShape,
	scaleItems: z.array(scaleItemRuleSchema),
	cssrs: cssrsRuleSchema,
	worsening: worseningRuleSchema,
	adverseEvents: adverseEventRulesSchema,
	escalation: escalationRuleSchema,
	messages: levelMessagesSchema
});
export type SafetyRules = z.infer<typeof safetyRulesSchema>;

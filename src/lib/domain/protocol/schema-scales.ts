import { z } from 'zod';
import { SCORED_SCALE_IDS } from './codes';
import { comparisonSchema } from './comparison';

export const scalesSchema = z.strictObject({
	/** The efficacy endpoint scale; the worsening rule watches it. [S] MADRS in MDD trials. */
	primary: z.enum(SCORED_SCALE_IDS, {
		error: `Use one of ${SCORED_SCALE_IDS.join(', ')} as the primary scale.`
	}),
	/** Remission when the total meets the threshold, per scale. */
	remission: z.strictObject({
		MADRS: comparisonSchema,
		HAMD17: comparisonSchema,
		PHQ9: comparisonSchema,
		QIDSSR16: comparisonSchema,
		BDI2: comparisonSchema
	}),
	/** Response when the total is at least this many percent below the participant's baseline. */
	responsePercentBelowBaseline: z.number().positive().max(100),
	/** Remission is sustained when met at this many consecutive follow-up visits. */
	sustainedRemissionVisits: z.number().int().min(1)
});
export type ScalesSettings = z.infer<typeof scalesSchema>;

import { z } from 'zod';
import { DEVIATION_CATEGORIES } from '../domain/deviations';
import { siteDateTime } from './datetime';

const category = z.enum(DEVIATION_CATEGORIES, {
	error: `Choose a category: ${DEVIATION_CATEGORIES.join(', ')}.`
});

/** "on", "true", true → true; "false", false → false; absent → undefined (the category decides). */
const yesNo = z.preprocess(
	(v) =>
		v === '' || v === null || v === undefined
			? undefined
			: v === true || v === 'on' || v === 'true' || v === 'yes',
	z.boolean().optional()
);

/** A deviation recorded by a person (page, API). */
export function deviationInput(timeZone: string) {
	return z.object({
		category,
		description: z
			.string({ error: 'Describe what departed from the protocol.' })
			.trim()
			.min(3, 'Describe what departed from the protocol.')
			.max(2000, 'Keep the description under 2000 characters.'),
		occurredAt: siteDateTime(timeZone, 'when it happened'),
		important: yesNo,
		reason: z
			.string()
			.trim()
			.max(2000)
			.optional()
			.transform((s) => s || undefined)
	});
}
export type DeviationInput = z.infer<ReturnType<typeof deviationInput>>;

/** An investigator confirms or changes the category and the important marker. */
export const deviationReviewInput = z.object({
	category,
	important: yesNo.transform((v) => v ?? false),
	reason: z.string().optional()
});

import { z } from 'zod';

import { FLAG_ACTION_CATEGORIES } from '../codes/flag-actions';

export { FLAG_ACTION_CATEGORIES, FLAG_ACTION_LABELS } from '../codes/flag-actions';

export const flagActionInput = z.object({
	category: z.enum(FLAG_ACTION_CATEGORIES, { error: 'Choose what was done.' }),
	text: z
		.string({ error: 'Describe what was done.' })
		.trim()
		.min(3, 'Describe what was done.')
		.max(2000)
});

export const flagCloseInput = z.object({
	outcome: z.string({ error: 'Record the outcome.' }).trim().min(3, 'Record the outcome.').max(2000)
});

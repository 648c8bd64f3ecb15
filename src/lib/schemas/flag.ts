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

/** The flags a group step moves: ids of one board card, or any list of up to 100. */
export const flagIdList = z
	.array(z.coerce.number().int().positive(), { error: 'Choose the flags.' })
	.min(1, 'Choose the flags.')
	.max(100, 'Choose at most 100 flags at a time.');

/** Several flags at once: the board's card steps and the API's group writes read these. */
export const flagGroupInput = z.object({ flagIds: flagIdList });
export const flagGroupActionInput = flagActionInput.extend({ flagIds: flagIdList });
export const flagGroupCloseInput = flagCloseInput.extend({ flagIds: flagIdList });

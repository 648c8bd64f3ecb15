import { z } from 'zod';

/** What was done about a flag; "other" needs the free text to say what. */
export const FLAG_ACTION_CATEGORIES = [
	'recheck',
	'physician-called',
	'dose-held',
	'treatment-given',
	'observation',
	'other'
] as const;
export const FLAG_ACTION_LABELS: Record<(typeof FLAG_ACTION_CATEGORIES)[number], string> = {
	recheck: 'Rechecked',
	'physician-called': 'Physician called',
	'dose-held': 'Dose held',
	'treatment-given': 'Treatment given',
	observation: 'Closer observation',
	other: 'Other'
};

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

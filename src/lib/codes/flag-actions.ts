// What was done about a flag, as a code list. No Zod here: pages import it, and the board's
// first load stays small (the schema that checks the input is in schemas/flag.ts).

/** What was done about a flag; "other" needs the free text to say what. */
export const FLAG_ACTION_CATEGORIES = [
	'recheck',
	'physician-called',
	'dose-held',
	'treatment-given',
	'observation',
	'other'
] as const;
export type FlagActionCategory = (typeof FLAG_ACTION_CATEGORIES)[number];
export const FLAG_ACTION_LABELS: Record<FlagActionCategory, string> = {
	recheck: 'Rechecked',
	'physician-called': 'Physician called',
	'dose-held': 'Dose held',
	'treatment-given': 'Treatment given',
	observation: 'Closer observation',
	other: 'Other'
};

import type { NumericInstrument } from '../types';

/**
 * Beck Depression Inventory-II (Pearson; wording must not ship: symptom names only).
 * Items 16 (sleep) and 18 (appetite) record a direction letter, a or b, after scores 1–3.
 */
export const bdi2 = {
	id: 'BDI2',
	name: 'Beck Depression Inventory-II',
	rater: 'self',
	itemTextMayShip: false, // DOMAIN.md §2 licensing: BDI-II is Pearson's
	// 21 items, each 0–3; 16 and 18 carry a/b letters, the digit is scored (DOMAIN.md §2 table)
	items: [
		{ number: 1, label: 'Sadness', min: 0, max: 3, testCode: 'BDI0101' },
		{ number: 2, label: 'Pessimism', min: 0, max: 3, testCode: 'BDI0102' },
		{ number: 3, label: 'Past failure', min: 0, max: 3, testCode: 'BDI0103' },
		{ number: 4, label: 'Loss of pleasure', min: 0, max: 3, testCode: 'BDI0104' },
		{ number: 5, label: 'Guilt', min: 0, max: 3, testCode: 'BDI0105' },
		{ number: 6, label: 'Punishment', min: 0, max: 3, testCode: 'BDI0106' },
		{ number: 7, label: 'Self-dislike', min: 0, max: 3, testCode: 'BDI0107' },
		{ number: 8, label: 'Self-criticism', min: 0, max: 3, testCode: 'BDI0108' },
		{ number: 9, label: 'Suicidal thoughts', min: 0, max: 3, testCode: 'BDI0109' },
		{ number: 10, label: 'Crying', min: 0, max: 3, testCode: 'BDI0110' },
		{ number: 11, label: 'Agitation', min: 0, max: 3, testCode: 'BDI0111' },
		{ number: 12, label: 'Loss of interest', min: 0, max: 3, testCode: 'BDI0112' },
		{ number: 13, label: 'Indecisiveness', min: 0, max: 3, testCode: 'BDI0113' },
		{ number: 14, label: 'Worthlessness', min: 0, max: 3, testCode: 'BDI0114' },
		{ number: 15, label: 'Loss of energy', min: 0, max: 3, testCode: 'BDI0115' },
		{
			number: 16,
			label: 'Sleep change',
			min: 0,
			max: 3,
			testCode: 'BDI0116',
			qualifier: 'bdi-direction'
		},
		{ number: 17, label: 'Irritability', min: 0, max: 3, testCode: 'BDI0117' },
		{
			number: 18,
			label: 'Appetite change',
			min: 0,
			max: 3,
			testCode: 'BDI0118',
			qualifier: 'bdi-direction'
		},
		{ number: 19, label: 'Concentration', min: 0, max: 3, testCode: 'BDI0119' },
		{ number: 20, label: 'Tiredness', min: 0, max: 3, testCode: 'BDI0120' },
		{ number: 21, label: 'Loss of interest in sex', min: 0, max: 3, testCode: 'BDI0121' }
	],
	totalRange: { min: 0, max: 63 }, // 21 items × 0–3 (DOMAIN.md §2 table)
	// Severity bands: BDI-II bands (DOMAIN.md §2)
	bands: [
		{ label: 'Minimal', min: 0, max: 13 },
		{ label: 'Mild', min: 14, max: 19 },
		{ label: 'Moderate', min: 20, max: 28 },
		{ label: 'Severe', min: 29, max: 63 }
	],
	suicidalityItem: 9, // item 9 (DOMAIN.md §2 table)
	remission: { maxTotal: 13 } // BDI-II ≤ 13 (DOMAIN.md §2) [S/D]
} as const satisfies NumericInstrument;

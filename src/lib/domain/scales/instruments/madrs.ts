import type { NumericInstrument } from '../types';

/** Montgomery–Åsberg Depression Rating Scale. Item wording is not shipped (licence unconfirmed). */
export const madrs = {
	id: 'MADRS',
	name: 'Montgomery–Åsberg Depression Rating Scale',
	rater: 'clinician',
	itemTextMayShip: false, // DOMAIN.md §2 licensing: MADRS licence unconfirmed
	// 10 items, each 0–6: item list and range from the cliot R package docs (DOMAIN.md §2)
	items: [
		{ number: 1, label: 'Apparent sadness', min: 0, max: 6, testCode: 'MADRS101' },
		{ number: 2, label: 'Reported sadness', min: 0, max: 6, testCode: 'MADRS102' },
		{ number: 3, label: 'Inner tension', min: 0, max: 6, testCode: 'MADRS103' },
		{ number: 4, label: 'Reduced sleep', min: 0, max: 6, testCode: 'MADRS104' },
		{ number: 5, label: 'Reduced appetite', min: 0, max: 6, testCode: 'MADRS105' },
		{ number: 6, label: 'Concentration', min: 0, max: 6, testCode: 'MADRS106' },
		{ number: 7, label: 'Lassitude', min: 0, max: 6, testCode: 'MADRS107' },
		{ number: 8, label: 'Inability to feel', min: 0, max: 6, testCode: 'MADRS108' },
		{ number: 9, label: 'Pessimistic thoughts', min: 0, max: 6, testCode: 'MADRS109' },
		{ number: 10, label: 'Suicidal thoughts', min: 0, max: 6, testCode: 'MADRS110' }
	],
	totalRange: { min: 0, max: 60 }, // 10 items × 0–6 (cliot docs)
	// Severity bands: Snaith 1986 (DOMAIN.md §2)
	bands: [
		{ label: 'Normal', min: 0, max: 6 },
		{ label: 'Mild', min: 7, max: 19 },
		{ label: 'Moderate', min: 20, max: 34 },
		{ label: 'Severe', min: 35, max: 60 }
	],
	suicidalityItem: 10, // item 10 "suicidal thoughts" (DOMAIN.md §2 table)
	remission: { maxTotal: 10 } // MADRS ≤ 10; a protocol may choose ≤ 12 (DOMAIN.md §2) [S/D]
} as const satisfies NumericInstrument;

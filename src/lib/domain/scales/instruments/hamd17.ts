import type { NumericInstrument } from '../types';

/**
 * Hamilton Depression Rating Scale, 17 items (public domain; wording may ship).
 * Item 16 (loss of weight) is rated by part A (history) or part B (measured weight); 3 means
 * "not assessed", which is valid and leaves the item out of the total (CamCOPS hamd.py).
 */
export const hamd17 = {
	id: 'HAMD17',
	name: 'Hamilton Depression Rating Scale (17 items)',
	rater: 'clinician',
	itemTextMayShip: true, // DOMAIN.md §2 licensing: HAM-D is public domain
	// Item ranges: 1,2,3,7,8,9,10,11,15 are 0–4; 4,5,6,12,13,14,17 are 0–2 (CamCOPS hamd.py)
	items: [
		{ number: 1, label: 'Depressed mood', min: 0, max: 4, testCode: 'HAMD101' },
		{ number: 2, label: 'Feelings of guilt', min: 0, max: 4, testCode: 'HAMD102' },
		{ number: 3, label: 'Suicide', min: 0, max: 4, testCode: 'HAMD103' },
		{ number: 4, label: 'Insomnia: early', min: 0, max: 2, testCode: 'HAMD104' },
		{ number: 5, label: 'Insomnia: middle', min: 0, max: 2, testCode: 'HAMD105' },
		{ number: 6, label: 'Insomnia: late', min: 0, max: 2, testCode: 'HAMD106' },
		{ number: 7, label: 'Work and activities', min: 0, max: 4, testCode: 'HAMD107' },
		{ number: 8, label: 'Retardation', min: 0, max: 4, testCode: 'HAMD108' },
		{ number: 9, label: 'Agitation', min: 0, max: 4, testCode: 'HAMD109' },
		{ number: 10, label: 'Anxiety: psychic', min: 0, max: 4, testCode: 'HAMD110' },
		{ number: 11, label: 'Anxiety: somatic', min: 0, max: 4, testCode: 'HAMD111' },
		{
			number: 12,
			label: 'Somatic symptoms: gastrointestinal',
			min: 0,
			max: 2,
			testCode: 'HAMD112'
		},
		{ number: 13, label: 'Somatic symptoms: general', min: 0, max: 2, testCode: 'HAMD113' },
		{ number: 14, label: 'Genital symptoms', min: 0, max: 2, testCode: 'HAMD114' },
		{ number: 15, label: 'Hypochondriasis', min: 0, max: 4, testCode: 'HAMD115' },
		// 16: part A or B, 0–2; 3 = not assessed, excluded from the total (CamCOPS hamd.py)
		{
			number: 16,
			label: 'Loss of weight',
			min: 0,
			max: 2,
			testCode: 'HAMD116',
			qualifier: 'hamd-part',
			notAssessed: 3
		},
		{ number: 17, label: 'Insight', min: 0, max: 2, testCode: 'HAMD117' }
	],
	totalRange: { min: 0, max: 52 }, // 9 × 4 + 8 × 2 (CamCOPS hamd.py; DOMAIN.md §2)
	// Severity bands as listed in DOMAIN.md §2 (the source of these cut-offs is not named there)
	bands: [
		{ label: 'Normal', min: 0, max: 7 },
		{ label: 'Mild', min: 8, max: 13 },
		{ label: 'Moderate', min: 14, max: 18 },
		{ label: 'Severe', min: 19, max: 22 },
		{ label: 'Very severe', min: 23, max: 52 }
	],
	suicidalityItem: 3, // item 3 "suicide" (DOMAIN.md §2 table)
	remission: { maxTotal: 7 } // HAM-D17 ≤ 7 (DOMAIN.md §2) [S/D]
} as const satisfies NumericInstrument;

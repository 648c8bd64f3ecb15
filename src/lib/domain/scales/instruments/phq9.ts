import type { NumericInstrument } from '../types';

/**
 * Patient Health Questionnaire-9 (Pfizer, free to reproduce; wording may ship).
 * Item 10 (how difficult the problems made daily life) is optional and never scored.
 */
export const phq9 = {
	id: 'PHQ9',
	name: 'Patient Health Questionnaire-9',
	rater: 'self',
	itemTextMayShip: true, // DOMAIN.md §2 licensing: PHQ-9 free to reproduce
	// 9 scored items 0–3 plus unscored item 10 (DOMAIN.md §2 table; Kroenke 2001)
	items: [
		{ number: 1, label: 'Little interest or pleasure', min: 0, max: 3, testCode: 'PHQ0101' },
		{ number: 2, label: 'Feeling down or hopeless', min: 0, max: 3, testCode: 'PHQ0102' },
		{ number: 3, label: 'Sleep problems', min: 0, max: 3, testCode: 'PHQ0103' },
		{ number: 4, label: 'Tired or little energy', min: 0, max: 3, testCode: 'PHQ0104' },
		{ number: 5, label: 'Poor appetite or overeating', min: 0, max: 3, testCode: 'PHQ0105' },
		{ number: 6, label: 'Feeling bad about yourself', min: 0, max: 3, testCode: 'PHQ0106' },
		{ number: 7, label: 'Trouble concentrating', min: 0, max: 3, testCode: 'PHQ0107' },
		{ number: 8, label: 'Moving slowly or restless', min: 0, max: 3, testCode: 'PHQ0108' },
		{ number: 9, label: 'Thoughts of death or self-harm', min: 0, max: 3, testCode: 'PHQ0109' },
		{
			number: 10,
			label: 'Difficulty caused by the problems',
			min: 0,
			max: 3,
			testCode: 'PHQ0110',
			scored: false
		}
	],
	totalRange: { min: 0, max: 27 }, // 9 items × 0–3 (Kroenke 2001)
	// Severity bands: Kroenke 2001 via VistA (DOMAIN.md §2)
	bands: [
		{ label: 'Minimal', min: 0, max: 4 },
		{ label: 'Mild', min: 5, max: 9 },
		{ label: 'Moderate', min: 10, max: 14 },
		{ label: 'Moderately severe', min: 15, max: 19 },
		{ label: 'Severe', min: 20, max: 27 }
	],
	suicidalityItem: 9, // item 9 (DOMAIN.md §2 table)
	remission: { maxTotal: 4 } // PHQ-9 < 5, i.e. ≤ 4 (DOMAIN.md §2) [S/D]
} as const satisfies NumericInstrument;

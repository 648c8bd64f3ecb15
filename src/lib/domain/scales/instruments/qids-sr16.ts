import type { NumericInstrument } from '../types';

/**
 * Quick Inventory of Depressive Symptomatology, self-report, 16 items.
 * The total is the sum of nine domains; a multi-item domain counts only its highest item.
 */
export const qidsSr16 = {
	id: 'QIDSSR16',
	name: 'Quick Inventory of Depressive Symptomatology (Self-Report, 16 items)',
	rater: 'self',
	// DOMAIN.md §2 gives no licence for QIDS-SR16: treated as not shippable until confirmed
	itemTextMayShip: false,
	// 16 items, each 0–3 (ids-qids.org)
	items: [
		{ number: 1, label: 'Falling asleep', min: 0, max: 3, testCode: 'QIDS0101' },
		{ number: 2, label: 'Sleep during the night', min: 0, max: 3, testCode: 'QIDS0102' },
		{ number: 3, label: 'Waking too early', min: 0, max: 3, testCode: 'QIDS0103' },
		{ number: 4, label: 'Sleeping too much', min: 0, max: 3, testCode: 'QIDS0104' },
		{ number: 5, label: 'Feeling sad', min: 0, max: 3, testCode: 'QIDS0105' },
		{ number: 6, label: 'Decreased appetite', min: 0, max: 3, testCode: 'QIDS0106' },
		{ number: 7, label: 'Increased appetite', min: 0, max: 3, testCode: 'QIDS0107' },
		{ number: 8, label: 'Decreased weight', min: 0, max: 3, testCode: 'QIDS0108' },
		{ number: 9, label: 'Increased weight', min: 0, max: 3, testCode: 'QIDS0109' },
		{ number: 10, label: 'Concentration and decisions', min: 0, max: 3, testCode: 'QIDS0110' },
		{ number: 11, label: 'View of myself', min: 0, max: 3, testCode: 'QIDS0111' },
		{ number: 12, label: 'Thoughts of death or suicide', min: 0, max: 3, testCode: 'QIDS0112' },
		{ number: 13, label: 'General interest', min: 0, max: 3, testCode: 'QIDS0113' },
		{ number: 14, label: 'Energy level', min: 0, max: 3, testCode: 'QIDS0114' },
		{ number: 15, label: 'Feeling slowed down', min: 0, max: 3, testCode: 'QIDS0115' },
		{ number: 16, label: 'Feeling restless', min: 0, max: 3, testCode: 'QIDS0116' }
	],
	// Nine domains; sleep = max(1–4), appetite/weight = max(6–9), psychomotor = max(15, 16),
	// the rest single items (ids-qids.org scoring instructions)
	domains: [
		{ key: 'sleep', label: 'Sleep', items: [1, 2, 3, 4] },
		{ key: 'sadMood', label: 'Sad mood', items: [5] },
		{ key: 'appetiteWeight', label: 'Appetite or weight', items: [6, 7, 8, 9] },
		{ key: 'concentration', label: 'Concentration', items: [10] },
		{ key: 'selfView', label: 'View of self', items: [11] },
		{ key: 'suicidalIdeation', label: 'Thoughts of death or suicide', items: [12] },
		{ key: 'interest', label: 'Interest', items: [13] },
		{ key: 'energy', label: 'Energy', items: [14] },
		{ key: 'psychomotor', label: 'Psychomotor', items: [15, 16] }
	],
	totalRange: { min: 0, max: 27 }, // 9 domains × 0–3 (ids-qids.org)
	// Severity bands (ids-qids.org; DOMAIN.md §2)
	bands: [
		{ label: 'None', min: 0, max: 5 },
		{ label: 'Mild', min: 6, max: 10 },
		{ label: 'Moderate', min: 11, max: 15 },
		{ label: 'Severe', min: 16, max: 20 },
		{ label: 'Very severe', min: 21, max: 27 }
	],
	suicidalityItem: 12, // item 12 (DOMAIN.md §2 table)
	remission: { maxTotal: 5 } // QIDS-SR16 ≤ 5 (DOMAIN.md §2) [S/D]
} as const satisfies NumericInstrument;

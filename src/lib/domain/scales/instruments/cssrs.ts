/**
 * Columbia–Suicide Severity Rating Scale (electronic use licensed through Clario: no item
 * wording ships, only short labels). Answer keys: '1'…'5' for the ideation types; the intensity
 * and behaviour keys below. Test codes are the CSS01 (baseline form) item numbers in the CDISC QRS
 * supplement; `fdaCasa` is the FDA-CASA 2012 category each answer maps to (PMC4267798, table 1).
 */
export const cssrs = {
	id: 'CSSRS',
	name: 'Columbia–Suicide Severity Rating Scale',
	rater: 'clinician',
	itemTextMayShip: false, // DOMAIN.md §2 licensing: electronic C-SSRS licensed through Clario
	// Ideation types 1–5, yes/no; ideation = yes to any (PhenX; FDA-CASA 2012 codes 1–5)
	ideation: [
		{ key: '1', type: 1, label: 'Wish to be dead', testCode: 'CSS0101', fdaCasa: 1 },
		{ key: '2', type: 2, label: 'Non-specific active thoughts', testCode: 'CSS0102', fdaCasa: 2 },
		{ key: '3', type: 3, label: 'Active, with method, no intent', testCode: 'CSS0103', fdaCasa: 3 },
		{
			key: '4',
			type: 4,
			label: 'Active, with some intent, no plan',
			testCode: 'CSS0104',
			fdaCasa: 4
		},
		{ key: '5', type: 5, label: 'Active, with plan and intent', testCode: 'CSS0105', fdaCasa: 5 }
	],
	// Intensity of the most severe ideation, optional; ranges from the C-SSRS baseline form as
	// coded in the CDISC CSS01 supplement (frequency and duration 1–5; the rest 0–5, 0 = n/a)
	intensity: [
		{ key: 'frequency', label: 'Frequency', min: 1, max: 5, testCode: 'CSS0107' },
		{ key: 'duration', label: 'Duration', min: 1, max: 5, testCode: 'CSS0108' },
		{ key: 'controllability', label: 'Controllability', min: 0, max: 5, testCode: 'CSS0109' },
		{ key: 'deterrents', label: 'Deterrents', min: 0, max: 5, testCode: 'CSS0110' },
		{ key: 'reasons', label: 'Reasons for ideation', min: 0, max: 5, testCode: 'CSS0111' }
	],
	// Suicidal behaviour, most severe first; behaviour = yes to any (PhenX; FDA-CASA 2012 7–10)
	behaviour: [
		{ key: 'actualAttempt', label: 'Actual attempt', testCode: 'CSS0112', fdaCasa: 7 },
		{ key: 'interruptedAttempt', label: 'Interrupted attempt', testCode: 'CSS0115', fdaCasa: 8 },
		{ key: 'abortedAttempt', label: 'Aborted attempt', testCode: 'CSS0117', fdaCasa: 9 },
		{ key: 'preparatoryActs', label: 'Preparatory acts', testCode: 'CSS0119', fdaCasa: 10 }
	],
	// Recorded, but not suicidal behaviour (DOMAIN.md §2; FDA-CASA 2012 code 11)
	selfInjury: {
		key: 'nonSuicidalSelfInjury',
		label: 'Non-suicidal self-injurious behaviour',
		testCode: 'CSS0114',
		fdaCasa: 11
	}
} as const;

export type CssrsBehaviourKey = (typeof cssrs.behaviour)[number]['key'];
export type CssrsIntensityKey = (typeof cssrs.intensity)[number]['key'];

/** Every answer key C-SSRS accepts. */
export const cssrsKeys: readonly string[] = [
	...cssrs.ideation.map((i) => i.key),
	...cssrs.intensity.map((i) => i.key),
	...cssrs.behaviour.map((b) => b.key),
	cssrs.selfInjury.key
];

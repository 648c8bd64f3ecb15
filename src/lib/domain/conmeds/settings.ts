import { z } from 'zod';
import { FLAG_LEVELS } from '../protocol/codes';

// The protocol's prohibited and interacting medication classes (DOMAIN-2.md §4 default table).
// A rule matches on ingredient first, then on an ATC prefix of the coded class.

const ruleSchema = z.strictObject({
	id: z.string().regex(/^[a-z0-9-]{1,40}$/, 'Use 1–40 lower-case letters, digits or -.'),
	class: z.string().trim().min(1).max(80),
	atcPrefixes: z.array(z.string().regex(/^[A-Z][0-9A-Z]{0,6}$/, 'An ATC code or prefix.')),
	ingredients: z.array(z.string().trim().toLowerCase().min(1).max(80)),
	/** Days the medication must be stopped before a dosing session (the washout). */
	washoutDays: z.number().int().min(0).max(365),
	/** Longer washouts for single ingredients, e.g. fluoxetine 35 days. */
	ingredientWashoutDays: z.record(z.string(), z.number().int().min(0).max(365)),
	level: z.enum(FLAG_LEVELS),
	/** Whether a dosing session is held while the medication is active or in washout. */
	blocksDosing: z.boolean(),
	/** What to do, shown in the flag: "Do not dose; serotonin toxicity risk." */
	message: z.string().trim().min(1).max(300),
	source: z.string().trim().min(1).max(300)
});
export type ConmedRule = z.infer<typeof ruleSchema>;

export const conmedSettingsSchema = z.strictObject({ rules: z.array(ruleSchema).max(60) });
export type ConmedSettings = z.infer<typeof conmedSettingsSchema>;

/** [D] DOMAIN-2.md §4. Half-life washouts are rounded up to whole days with a week's margin. */
export const DEFAULT_CONMED_RULES: ConmedRule[] = [
	{
		id: 'maoi',
		class: 'MAO inhibitors',
		atcPrefixes: ['N06AF', 'N06AG', 'N04BD', 'J01XX08'],
		ingredients: ['linezolid'],
		washoutDays: 14, // ≥ 14 days off (US SSRI labels, MAOI contraindication)
		ingredientWashoutDays: {},
		level: 'urgent',
		blocksDosing: true,
		message: 'Do not dose: risk of serotonin toxicity.',
		source: 'Sarparast 2022; US SSRI labels (14 days after an MAOI)'
	},
	{
		id: 'ssri',
		class: 'SSRIs',
		atcPrefixes: ['N06AB'],
		ingredients: [],
		washoutDays: 14, // [D] ≥ 5 half-lives (citalopram ~35 h) + 1 week
		ingredientWashoutDays: { fluoxetine: 35 }, // ≥ 5 weeks (Prozac label, MAOI wording)
		level: 'action',
		blocksDosing: true,
		message: 'Hold dosing until the washout is complete: SSRIs blunt the effect of MDMA.',
		source: 'Sarparast 2022; MAPP2 tapered psychiatric medications (Mitchell 2023)'
	},
	{
		id: 'snri-tca',
		class: 'SNRIs and tricyclics',
		atcPrefixes: ['N06AX16', 'N06AX21', 'N06AA'],
		ingredients: [],
		washoutDays: 14, // [D] as SSRIs
		ingredientWashoutDays: {},
		level: 'action',
		blocksDosing: true,
		message: 'Hold dosing until the washout is complete (serotonergic).',
		source: 'Sarparast 2022'
	},
	{
		id: 'cyp2d6',
		class: 'Strong CYP2D6 inhibitors',
		atcPrefixes: ['N06AX12', 'C01BA01', 'D01BA02'],
		ingredients: ['bupropion', 'quinidine', 'terbinafine'],
		washoutDays: 14, // [D] ≥ 5 half-lives (bupropion metabolites ~37 h) + 1 week
		ingredientWashoutDays: { terbinafine: 90 }, // [D] terminal half-life of weeks
		level: 'action',
		blocksDosing: true,
		message: 'Hold dosing: MDMA exposure rises (CYP2D6 inhibition).',
		source: 'FDA table of CYP2D6 inhibitors; Schmid 2015 (bupropion raised MDMA levels)'
	},
	{
		id: 'lithium',
		class: 'Lithium',
		atcPrefixes: ['N05AN'],
		ingredients: ['lithium'],
		washoutDays: 14, // [D]
		ingredientWashoutDays: {},
		level: 'action',
		blocksDosing: true,
		message: 'Prohibited: serotonergic, seizures reported with psychedelics.',
		source: 'Nayak 2021, Psychopharmacology'
	},
	{
		id: 'stimulants',
		class: 'Stimulants',
		atcPrefixes: ['N06BA'],
		ingredients: [],
		washoutDays: 3, // [D] ≥ 5 half-lives before each session
		ingredientWashoutDays: {},
		level: 'action',
		blocksDosing: true,
		message: 'Hold dosing: added cardiovascular load.',
		source: 'Sarparast 2022'
	},
	{
		id: 'serotonergic',
		class: 'Other serotonergic drugs',
		atcPrefixes: ['N02AX02', 'N02CC', 'N06AX25'],
		ingredients: ['tramadol'],
		washoutDays: 7, // [D] not within 5 half-lives
		ingredientWashoutDays: {},
		level: 'action',
		blocksDosing: true,
		message: 'Hold dosing: serotonergic.',
		source: 'Sarparast 2022'
	},
	{
		id: 'ritonavir',
		class: 'Ritonavir or cobicistat',
		atcPrefixes: ['J05AE03', 'V03AX03'],
		ingredients: ['ritonavir', 'cobicistat'],
		washoutDays: 14, // [D]
		ingredientWashoutDays: {},
		level: 'action',
		blocksDosing: true,
		message: 'Prohibited: fatal interaction reported.',
		source: 'Henry & Hill 1998, Lancet 352:1751'
	}
];

export const DEFAULT_CONMED_SETTINGS: ConmedSettings = { rules: DEFAULT_CONMED_RULES };

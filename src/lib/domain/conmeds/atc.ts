// A bundled subset of the WHO ATC classification (atcddd.fhi.no): the level 3–4 classes a
// psychiatric trial meets most, and ingredients with their level 5 codes, enough to code the
// common concomitant medications and every class in the protocol's interaction rules
// (DOMAIN-2.md §4). Coding to WHODrug (licensed) stays with the sponsor; CMDECOD takes the
// ingredient here.

export interface AtcClass {
	code: string;
	name: string;
}

/** Level 3 and 4 classes. */
export const ATC_CLASSES: readonly AtcClass[] = [
	{ code: 'A02B', name: 'Drugs for peptic ulcer and GORD' },
	{ code: 'A03F', name: 'Propulsives' },
	{ code: 'A04AA', name: 'Serotonin (5HT3) antagonists' },
	{ code: 'A10B', name: 'Blood glucose lowering drugs, excl. insulins' },
	{ code: 'B01AC', name: 'Platelet aggregation inhibitors excl. heparin' },
	{ code: 'C01BA', name: 'Antiarrhythmics, class Ia' },
	{ code: 'C03A', name: 'Low-ceiling diuretics, thiazides' },
	{ code: 'C07AB', name: 'Beta blocking agents, selective' },
	{ code: 'C08CA', name: 'Dihydropyridine derivatives' },
	{ code: 'C09AA', name: 'ACE inhibitors, plain' },
	{ code: 'C10AA', name: 'HMG CoA reductase inhibitors' },
	{ code: 'D01BA', name: 'Antifungals for systemic use' },
	{ code: 'G03A', name: 'Hormonal contraceptives for systemic use' },
	{ code: 'H03AA', name: 'Thyroid hormones' },
	{ code: 'J01XX', name: 'Other antibacterials' },
	{ code: 'J05AE', name: 'Protease inhibitors' },
	{ code: 'M01AE', name: 'Propionic acid derivatives' },
	{ code: 'N02AX', name: 'Other opioids' },
	{ code: 'N02BE', name: 'Anilides' },
	{ code: 'N02CC', name: 'Selective serotonin (5HT1) agonists' },
	{ code: 'N03AX', name: 'Other antiepileptics' },
	{ code: 'N04BD', name: 'Monoamine oxidase B inhibitors' },
	{ code: 'N05AH', name: 'Diazepines, oxazepines, thiazepines and oxepines' },
	{ code: 'N05AN', name: 'Lithium' },
	{ code: 'N05BA', name: 'Benzodiazepine derivatives' },
	{ code: 'N05CF', name: 'Benzodiazepine related drugs' },
	{ code: 'N05CH', name: 'Melatonin receptor agonists' },
	{ code: 'N06AA', name: 'Non-selective monoamine reuptake inhibitors' },
	{ code: 'N06AB', name: 'Selective serotonin reuptake inhibitors' },
	{ code: 'N06AF', name: 'Monoamine oxidase inhibitors, non-selective' },
	{ code: 'N06AG', name: 'Monoamine oxidase A inhibitors' },
	{ code: 'N06AX', name: 'Other antidepressants' },
	{ code: 'N06BA', name: 'Centrally acting sympathomimetics' },
	{ code: 'R03AC', name: 'Selective beta-2-adrenoreceptor agonists' },
	{ code: 'R06AE', name: 'Piperazine derivatives' },
	{ code: 'V03AX', name: 'Other therapeutic products' }
];

export interface AtcIngredient {
	/** Lower-case INN, as matched by the rules. */
	ingredient: string;
	code: string;
}

/** Level 5 codes for ingredients; each code's first five characters name a class above. */
export const ATC_INGREDIENTS: readonly AtcIngredient[] = [
	{ ingredient: 'omeprazole', code: 'A02BC01' },
	{ ingredient: 'metoclopramide', code: 'A03FA01' },
	{ ingredient: 'ondansetron', code: 'A04AA01' },
	{ ingredient: 'metformin', code: 'A10BA02' },
	{ ingredient: 'acetylsalicylic acid', code: 'B01AC06' },
	{ ingredient: 'quinidine', code: 'C01BA01' },
	{ ingredient: 'hydrochlorothiazide', code: 'C03AA03' },
	{ ingredient: 'bisoprolol', code: 'C07AB07' },
	{ ingredient: 'amlodipine', code: 'C08CA01' },
	{ ingredient: 'ramipril', code: 'C09AA05' },
	{ ingredient: 'atorvastatin', code: 'C10AA05' },
	{ ingredient: 'terbinafine', code: 'D01BA02' },
	{ ingredient: 'levonorgestrel and ethinylestradiol', code: 'G03AA07' },
	{ ingredient: 'levothyroxine', code: 'H03AA01' },
	{ ingredient: 'linezolid', code: 'J01XX08' },
	{ ingredient: 'ritonavir', code: 'J05AE03' },
	{ ingredient: 'ibuprofen', code: 'M01AE01' },
	{ ingredient: 'tramadol', code: 'N02AX02' },
	{ ingredient: 'paracetamol', code: 'N02BE01' },
	{ ingredient: 'sumatriptan', code: 'N02CC01' },
	{ ingredient: 'gabapentin', code: 'N03AX12' },
	{ ingredient: 'lamotrigine', code: 'N03AX09' },
	{ ingredient: 'selegiline', code: 'N04BD01' },
	{ ingredient: 'quetiapine', code: 'N05AH04' },
	{ ingredient: 'lithium', code: 'N05AN01' },
	{ ingredient: 'diazepam', code: 'N05BA01' },
	{ ingredient: 'lorazepam', code: 'N05BA06' },
	{ ingredient: 'zolpidem', code: 'N05CF02' },
	{ ingredient: 'melatonin', code: 'N05CH01' },
	{ ingredient: 'amitriptyline', code: 'N06AA09' },
	{ ingredient: 'clomipramine', code: 'N06AA04' },
	{ ingredient: 'nortriptyline', code: 'N06AA10' },
	{ ingredient: 'fluoxetine', code: 'N06AB03' },
	{ ingredient: 'citalopram', code: 'N06AB04' },
	{ ingredient: 'paroxetine', code: 'N06AB05' },
	{ ingredient: 'sertraline', code: 'N06AB06' },
	{ ingredient: 'escitalopram', code: 'N06AB10' },
	{ ingredient: 'phenelzine', code: 'N06AF03' },
	{ ingredient: 'tranylcypromine', code: 'N06AF04' },
	{ ingredient: 'moclobemide', code: 'N06AG02' },
	{ ingredient: 'mirtazapine', code: 'N06AX11' },
	{ ingredient: 'bupropion', code: 'N06AX12' },
	{ ingredient: 'trazodone', code: 'N06AX05' },
	{ ingredient: 'venlafaxine', code: 'N06AX16' },
	{ ingredient: 'duloxetine', code: 'N06AX21' },
	{ ingredient: 'vortioxetine', code: 'N06AX26' },
	{ ingredient: 'hypericum perforatum (st john\u2019s wort)', code: 'N06AX25' },
	{ ingredient: 'methylphenidate', code: 'N06BA04' },
	{ ingredient: 'dexamfetamine', code: 'N06BA02' },
	{ ingredient: 'modafinil', code: 'N06BA07' },
	{ ingredient: 'salbutamol', code: 'R03AC02' },
	{ ingredient: 'cetirizine', code: 'R06AE07' },
	{ ingredient: 'cobicistat', code: 'V03AX03' }
];

const CLASS_BY_CODE = new Map(ATC_CLASSES.map((c) => [c.code, c]));

/** The most specific bundled class (level 4, else level 3) an ATC code falls under. */
export function atcClassOf(code: string): AtcClass | null {
	const upper = code.trim().toUpperCase();
	return CLASS_BY_CODE.get(upper.slice(0, 5)) ?? CLASS_BY_CODE.get(upper.slice(0, 4)) ?? null;
}

export function ingredientCode(ingredient: string): AtcIngredient | null {
	const key = ingredient.trim().toLowerCase();
	return ATC_INGREDIENTS.find((i) => i.ingredient === key) ?? null;
}

/** Ingredients whose name or code starts with the text, for the entry form's suggestions. */
export function searchIngredients(text: string, limit = 10): AtcIngredient[] {
	const q = text.trim().toLowerCase();
	if (!q) return [];
	return ATC_INGREDIENTS.filter(
		(i) => i.ingredient.includes(q) || i.code.toLowerCase().startsWith(q)
	).slice(0, limit);
}

/** A well-formed ATC code of level 3 (A01B), 4 (A01BC) or 5 (A01BC01). */
export const ATC_CODE_PATTERN = /^[A-Z][0-9]{2}[A-Z]([A-Z]([0-9]{2})?)?$/;

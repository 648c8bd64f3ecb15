/**
 * Vigil's own coded adverse-event terms. MedDRA is licensed, so we ship a short list modelled on
 * its preferred terms (British spelling, as MedDRA uses) with plain-word organ classes. Codes are
 * stable: a term is never renumbered or reused. Free text stays allowed: an AE may have no code.
 */

/** Plain-word organ classes, modelled on MedDRA system organ classes. */
export const organClasses = [
	'Cardiac',
	'Eye',
	'Gastrointestinal',
	'General',
	'Injury and poisoning',
	'Investigations',
	'Metabolism and nutrition',
	'Musculoskeletal',
	'Nervous system',
	'Psychiatric',
	'Skin',
	'Social circumstances',
	'Vascular'
] as const;
export type OrganClass = (typeof organClasses)[number];

/** Adverse events of special interest in MDMA trials (Colcott 2024, PMC11224236; DOMAIN.md §3). */
export const aesiCategories = [
	'suicidality',
	'cardiovascular',
	'abuse-potential',
	'hyponatraemia',
	'hyperthermia-serotonin-toxicity'
] as const;
export type AesiCategory = (typeof aesiCategories)[number];

export interface CodedTerm {
	/** Stable code such as VIG-0003. */
	code: string;
	preferredTerm: string;
	systemOrganClass: OrganClass;
	specialInterest: boolean;
	/** Set exactly when specialInterest is true. */
	aesiCategory: AesiCategory | null;
	/** Other words people type for the same thing; used by search only. */
	synonyms: readonly string[];
}

type Row = [code: string, term: string, soc: OrganClass, synonyms?: readonly string[]];
type AesiRow = [code: string, term: string, soc: OrganClass, AesiCategory, synonyms?: string[]];

/** Common MDMA AEs (Colcott 2024 meta-analysis), then others common in these trials. */
const commonRows: readonly Row[] = [
	['VIG-0001', 'Muscle tightness', 'Musculoskeletal', ['muscle tension', 'muscle stiffness']],
	['VIG-0002', 'Decreased appetite', 'Metabolism and nutrition', ['loss of appetite']],
	['VIG-0003', 'Nausea', 'Gastrointestinal', ['feeling sick']],
	['VIG-0004', 'Hyperhidrosis', 'Skin', ['sweating', 'excessive sweating']],
	['VIG-0005', 'Feeling cold', 'General'],
	['VIG-0006', 'Restlessness', 'Psychiatric'],
	['VIG-0007', 'Mydriasis', 'Eye', ['dilated pupils']],
	['VIG-0008', 'Bruxism', 'Gastrointestinal', ['jaw clenching', 'teeth grinding']],
	['VIG-0009', 'Nystagmus', 'Eye'],
	['VIG-0010', 'Feeling jittery', 'General', ['jitteriness']],
	['VIG-0011', 'Non-cardiac chest pain', 'General', ['chest pain']],
	['VIG-0012', 'Blurred vision', 'Eye', ['vision blurred']],
	['VIG-0013', 'Chills', 'General', ['shivering']],
	['VIG-0014', 'Headache', 'Nervous system'],
	['VIG-0015', 'Fatigue', 'General', ['tiredness']],
	['VIG-0016', 'Anxiety', 'Psychiatric'],
	['VIG-0017', 'Insomnia', 'Psychiatric', ['sleeplessness']],
	['VIG-0018', 'Dizziness', 'Nervous system', ['light-headedness']],
	['VIG-0019', 'Dry mouth', 'Gastrointestinal'],
	['VIG-0020', 'Thirst', 'General'],
	['VIG-0021', 'Feeling hot', 'General'],
	['VIG-0022', 'Vomiting', 'Gastrointestinal'],
	['VIG-0023', 'Diarrhoea', 'Gastrointestinal', ['diarrhea']],
	['VIG-0024', 'Palpitations', 'Cardiac'],
	['VIG-0025', 'Paraesthesia', 'Nervous system', ['paresthesia', 'tingling', 'pins and needles']],
	['VIG-0026', 'Tremor', 'Nervous system'],
	['VIG-0027', 'Somnolence', 'Nervous system', ['drowsiness']],
	['VIG-0028', 'Disturbance in attention', 'Nervous system', ['poor concentration']],
	['VIG-0029', 'Depressed mood', 'Psychiatric', ['low mood']],
	['VIG-0030', 'Irritability', 'Psychiatric'],
	['VIG-0031', 'Panic attack', 'Psychiatric'],
	['VIG-0032', 'Dissociation', 'Psychiatric'],
	['VIG-0033', 'Pain in jaw', 'Musculoskeletal', ['jaw pain']],
	['VIG-0034', 'Musculoskeletal pain', 'Musculoskeletal'],
	['VIG-0035', 'Back pain', 'Musculoskeletal']
];

/** AEs of special interest (DOMAIN.md §3). Codes from VIG-0101 keep them apart. */
const aesiRows: readonly AesiRow[] = [
	['VIG-0101', 'Suicidal ideation', 'Psychiatric', 'suicidality', ['suicidal thoughts']],
	['VIG-0102', 'Suicidal behaviour', 'Psychiatric', 'suicidality', ['suicidal behavior']],
	['VIG-0111', 'Hypertension', 'Vascular', 'cardiovascular', ['high blood pressure']],
	['VIG-0112', 'Blood pressure increased', 'Investigations', 'cardiovascular'],
	['VIG-0113', 'Tachycardia', 'Cardiac', 'cardiovascular', ['fast heart rate']],
	['VIG-0114', 'Heart rate increased', 'Investigations', 'cardiovascular'],
	['VIG-0115', 'Arrhythmia', 'Cardiac', 'cardiovascular', ['irregular heartbeat']],
	['VIG-0116', 'QT prolongation', 'Investigations', 'cardiovascular', ['ECG QT prolonged']],
	['VIG-0121', 'Euphoric mood', 'Psychiatric', 'abuse-potential', ['euphoria']],
	['VIG-0122', 'Misuse', 'Injury and poisoning', 'abuse-potential', ['drug misuse', 'abuse']],
	['VIG-0123', 'Diversion', 'Social circumstances', 'abuse-potential', ['drug diversion']],
	['VIG-0131', 'Hyponatraemia', 'Metabolism and nutrition', 'hyponatraemia', ['hyponatremia']],
	['VIG-0141', 'Hyperthermia', 'General', 'hyperthermia-serotonin-toxicity', ['overheating']],
	[
		'VIG-0142',
		'Serotonin syndrome',
		'Nervous system',
		'hyperthermia-serotonin-toxicity',
		['serotonin toxicity']
	]
];

export const codedTerms: readonly CodedTerm[] = Object.freeze([
	...commonRows.map(([code, preferredTerm, systemOrganClass, synonyms = []]) => ({
		code,
		preferredTerm,
		systemOrganClass,
		specialInterest: false,
		aesiCategory: null,
		synonyms
	})),
	...aesiRows.map(([code, preferredTerm, systemOrganClass, aesiCategory, synonyms = []]) => ({
		code,
		preferredTerm,
		systemOrganClass,
		specialInterest: true,
		aesiCategory,
		synonyms
	}))
]);

const byCode = new Map(codedTerms.map((term) => [term.code, term]));

/** The term with this code ('VIG-0003', any case, spaces trimmed), or undefined. */
export function findCodedTerm(code: string): CodedTerm | undefined {
	return byCode.get(code.trim().toUpperCase());
}

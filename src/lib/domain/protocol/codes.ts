// Code lists a protocol definition is written in. `as const` lists with union types derived from
// them, so a protocol file, the rules engine and the exports share one vocabulary.

/** Alert levels, least to most severe. [D] DOMAIN.md §1 default vitals rules. */
export const FLAG_LEVELS = ['notify', 'action', 'urgent'] as const;
export type FlagLevel = (typeof FLAG_LEVELS)[number];

export const VISIT_KINDS = [
	'screening',
	'baseline',
	'preparatory',
	'dosing',
	'integration',
	'follow-up'
] as const;
export type VisitKind = (typeof VISIT_KINDS)[number];

/** In-session vital signs; SDTM VSTESTCD SYSBP, DIABP, PULSE, TEMP (pharmaversesdtm pilot). */
export const VITAL_MEASURES = ['systolic', 'diastolic', 'heartRate', 'temperature'] as const;
export type VitalMeasure = (typeof VITAL_MEASURES)[number];

export const VITAL_UNITS: Record<VitalMeasure, string> = {
	systolic: 'mmHg',
	diastolic: 'mmHg',
	heartRate: 'bpm',
	temperature: '°C'
};

export const VITAL_LABELS: Record<VitalMeasure, string> = {
	systolic: 'Systolic pressure',
	diastolic: 'Diastolic pressure',
	heartRate: 'Heart rate',
	temperature: 'Temperature'
};

/** Rating scales (DOMAIN.md §2). */
export const SCALE_IDS = ['MADRS', 'HAMD17', 'PHQ9', 'QIDSSR16', 'BDI2', 'CSSRS'] as const;
export type ScaleId = (typeof SCALE_IDS)[number];

/** Scales scored as a total, i.e. every scale except C-SSRS. */
export const SCORED_SCALE_IDS = ['MADRS', 'HAMD17', 'PHQ9', 'QIDSSR16', 'BDI2'] as const;
export type ScoredScaleId = (typeof SCORED_SCALE_IDS)[number];

/** Scored items per scale: MADRS 10, HAM-D17 17, PHQ-9 9 (+ unscored 10), QIDS-SR16 16, BDI-II 21. */
export const SCALE_ITEM_COUNTS: Record<ScoredScaleId, number> = {
	MADRS: 10,
	HAMD17: 17,
	PHQ9: 9,
	QIDSSR16: 16,
	BDI2: 21
};

/** C-SSRS suicidal ideation types 1–5 (PhenX; FDA C-CASA map, PMC4267798). */
export const CSSRS_IDEATION_TYPES = [1, 2, 3, 4, 5] as const;

/** How the protocol grades AE severity: CTCAE v5 grades 1–5, or mild (1), moderate (2), severe (3). */
export const AE_SEVERITY_SCALES = ['ctcae-v5', 'mild-moderate-severe'] as const;
export type AeSeverityScale = (typeof AE_SEVERITY_SCALES)[number];

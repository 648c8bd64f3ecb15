import type {
	AdverseEventRules,
	CssrsRule,
	EscalationRule,
	LevelMessages,
	ScaleItemRule,
	WorseningRule
} from './schema-rules';

/** [D] DOMAIN.md §2 default scale flags on single items (suicidality items). */
export const DEFAULT_SCALE_ITEM_RULES: ScaleItemRule[] = [
	// [D] MADRS item 10 "suicidal thoughts" ≥ 4 → urgent
	{ scale: 'MADRS', item: 10, score: { op: '>=', value: 4 }, level: 'urgent' },
	// [D] MADRS item 10 ≥ 2 → notify
	{ scale: 'MADRS', item: 10, score: { op: '>=', value: 2 }, level: 'notify' },
	// [D] PHQ-9 item 9 (thoughts of death or self-harm) ≥ 1 → action
	{ scale: 'PHQ9', item: 9, score: { op: '>=', value: 1 }, level: 'action' },
	// [D] HAM-D17 item 3 "suicide" ≥ 3 → urgent
	{ scale: 'HAMD17', item: 3, score: { op: '>=', value: 3 }, level: 'urgent' },
	// [D] QIDS-SR16 item 12 (thoughts of death or suicide) ≥ 2 → action
	{ scale: 'QIDSSR16', item: 12, score: { op: '>=', value: 2 }, level: 'action' },
	// [D] BDI-II item 9 (suicidal thoughts or wishes) ≥ 2 → action
	{ scale: 'BDI2', item: 9, score: { op: '>=', value: 2 }, level: 'action' }
];

/** [D] DOMAIN.md §2: C-SSRS ideation type 4 or 5, or any suicidal behaviour → urgent (C-CASA). */
export const DEFAULT_CSSRS_RULE: CssrsRule = {
	ideation: { enabled: true, types: [4, 5], level: 'urgent' },
	behaviour: { enabled: true, level: 'urgent' }
};

/** [D] DOMAIN.md §2: primary scale ≥ 25 % above baseline at 2 consecutive visits → action. */
export const DEFAULT_WORSENING_RULE: WorseningRule = {
	enabled: true,
	percentAboveBaseline: { op: '>=', value: 25 },
	consecutiveVisits: 2,
	level: 'action'
};

/** AEs of special interest in MDMA trials [S] Colcott 2024 phase 3 meta-analysis, PMC11224236. */
export const DEFAULT_AE_SPECIAL_INTEREST_TERMS: string[] = [
	'Suicidal ideation',
	'Suicidal behaviour',
	'Hypertension',
	'Tachycardia',
	'Arrhythmia',
	'QT prolongation',
	'Euphoric mood',
	'Drug misuse',
	'Drug diversion',
	'Hyponatraemia',
	'Hyperthermia',
	'Serotonin syndrome'
];

/** [D] DOMAIN.md §3 default AE flags; [S] clocks: EU CTR art. 41 (SAE 24 h), SUSAR 7 / 15 days. */
export const DEFAULT_AE_RULES: AdverseEventRules = {
	severityScale: 'ctcae-v5', // CTCAE v5 grades 1–5 [S]
	serious: { enabled: true, level: 'urgent', reportWithinHours: 24 }, // ICH E2A seriousness
	severity: { enabled: true, grade: { op: '>=', value: 3 }, level: 'action' }, // CTCAE grade ≥ 3
	specialInterest: { enabled: true, level: 'action', terms: DEFAULT_AE_SPECIAL_INTEREST_TERMS },
	susarReportDays: { fatalOrLifeThreatening: 7, other: 15 }
};

/** [D] An urgent flag nobody has acknowledged after 10 minutes is escalated. */
export const DEFAULT_ESCALATION_RULE: EscalationRule = {
	enabled: true,
	unacknowledgedLevel: 'urgent',
	afterMinutes: 10
};

/** [D] DOMAIN.md §1: what each level asks of the team (notify = recheck in 15 min; action =
 * physician review and hold the supplemental dose). */
export const DEFAULT_LEVEL_MESSAGES: LevelMessages = {
	notify: 'Recheck within 15 minutes.',
	action: 'Inform the study physician; recheck within 15 minutes; hold the supplemental dose.',
	urgent:
		'Call the study physician now and stay with the participant; follow the site emergency ' +
		'procedure; do not give the supplemental dose.'
};

// Flags in words a nurse can act on.
import type { Comparison, FlagLevel, LevelMessages, VitalMeasure } from '../protocol';

/** Giving the supplemental dose during a hold, without a reason (the server's and the page's check). */
export const SUPPLEMENTAL_OVERRIDE_NEEDED =
	'The protocol says hold the supplemental dose. To record it as given, give the reason for overriding.';

const OP_WORDS: Record<Comparison['op'], string> = {
	'>=': 'at or above',
	'>': 'above',
	'<=': 'at or below',
	'<': 'below'
};

export const MEASURE_WORDS: Record<VitalMeasure, { name: string; unit: string }> = {
	systolic: { name: 'Systolic', unit: 'mmHg' },
	diastolic: { name: 'Diastolic', unit: 'mmHg' },
	heartRate: { name: 'Heart rate', unit: 'bpm' },
	temperature: { name: 'Temperature', unit: '°C' }
};

/** "is at or above 160" */
export function comparisonWords(threshold: Comparison): string {
	return `is ${OP_WORDS[threshold.op]} ${threshold.value}`;
}

/** "Systolic 172 mmHg is at or above 160" */
export function bandText(measure: VitalMeasure, value: number, threshold: Comparison): string {
	const m = MEASURE_WORDS[measure];
	return `${m.name} ${value} ${m.unit} ${comparisonWords(threshold)}`;
}

/** "Systolic 172 mmHg is at or above 160: action. Inform the study physician; …" */
export function bandMessage(
	measure: VitalMeasure,
	value: number,
	threshold: Comparison,
	level: FlagLevel,
	messages: LevelMessages
): string {
	return withInstruction(bandText(measure, value, threshold), level, messages);
}

export function withInstruction(text: string, level: FlagLevel, messages: LevelMessages): string {
	return `${text}: ${level}. ${messages[level]}`;
}

function signed(n: number): string {
	const rounded = Math.round(n * 10) / 10;
	return rounded > 0 ? `+${rounded}` : String(rounded);
}

/** "Systolic 165 mmHg is +45 mmHg from the pre-dose baseline of 120 (at or above 40)" */
export function changeText(
	measure: VitalMeasure,
	value: number,
	baseline: number,
	change: number,
	basis: 'absolute' | 'percent',
	threshold: Comparison
): string {
	const m = MEASURE_WORDS[measure];
	const unit = basis === 'percent' ? '%' : ` ${m.unit}`;
	return (
		`${m.name} ${value} ${m.unit} is ${signed(change)}${unit} from the pre-dose baseline of ` +
		`${baseline} (${OP_WORDS[threshold.op]} ${threshold.value}${basis === 'percent' ? ' %' : ''})`
	);
}

/**
 * [D] Vigil's wording for flags raised by a scale's suicidality items or the C-SSRS: a risk
 * assessment and the physician, never the supplemental dose (scales are given outside dosing
 * sessions too). Columbia Protocol triage: ideation with intent or a plan, or recent behaviour,
 * calls for immediate evaluation by a clinician (cssrs.columbia.edu, screener triage).
 */
export const SUICIDALITY_MESSAGES: LevelMessages = {
	notify:
		'Ask the participant about this answer before they leave and tell the study physician today.',
	action:
		'Assess suicide risk now and inform the study physician; do not leave the participant ' +
		'alone until the risk is assessed.',
	urgent:
		'Stay with the participant and call the study physician now for a risk assessment; follow ' +
		'the site emergency procedure.'
};

/** [D] Wording for a primary-scale worsening: a clinical review, not an in-session step. */
export const SCALE_MESSAGES: LevelMessages = {
	notify: 'Review the course with the study physician at the next visit.',
	action: 'Inform the study physician; review the participant before the next visit.',
	urgent: 'Inform the study physician now; review the participant today.'
};

/**
 * [D] Wording for adverse-event flags: the physician's assessment and the reporting clock
 * (serious: to the sponsor within 24 hours of awareness, ICH E6(R3) / 21 CFR 312.64(b)).
 */
export const ADVERSE_EVENT_MESSAGES: LevelMessages = {
	notify: 'Tell the study physician; follow the event until it resolves.',
	action:
		'Inform the study physician today for the assessment of seriousness, relatedness and ' +
		'expectedness; follow the event.',
	urgent:
		'Inform the study physician now; a serious event is reported to the sponsor within 24 hours ' +
		'of awareness.'
};

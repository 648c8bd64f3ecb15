// Flags in words a nurse can act on.
import type { Comparison, FlagLevel, LevelMessages, VitalMeasure } from '../protocol';

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

/** "Systolic 172 mmHg is at or above 160: action. Inform the study physician; …" */
export function bandMessage(
	measure: VitalMeasure,
	value: number,
	threshold: Comparison,
	level: FlagLevel,
	messages: LevelMessages
): string {
	const m = MEASURE_WORDS[measure];
	return `${m.name} ${value} ${m.unit} ${comparisonWords(threshold)}: ${level}. ${messages[level]}`;
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

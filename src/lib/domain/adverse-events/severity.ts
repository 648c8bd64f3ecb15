/**
 * Severity (intensity) of an adverse event. A protocol grades with one scale for the whole study:
 * CTCAE v5 grades or the three-word scale. Severity is not seriousness (see seriousness.ts).
 */

/** The two scales a protocol can choose; the choice is a protocol setting. */
export const severityScales = ['ctcae', 'mild-moderate-severe'] as const;
export type SeverityScale = (typeof severityScales)[number];

/** NCI CTCAE v5.0 grades (Nov 2017), "Grades" section; SDTM AETOXGR holds the digit. */
export const ctcaeGrades = [1, 2, 3, 4, 5] as const;
export type CtcaeGrade = (typeof ctcaeGrades)[number];

/** NCI CTCAE v5.0 general grade descriptions, shortened. */
export const ctcaeGradeLabel = {
	1: 'Mild',
	2: 'Moderate',
	3: 'Severe or medically significant',
	4: 'Life-threatening',
	5: 'Death related to the adverse event'
} as const satisfies Record<CtcaeGrade, string>;

/** Three-word intensity scale; CDISC CT codelist AESEV (C66769). */
export const intensities = ['mild', 'moderate', 'severe'] as const;
export type Intensity = (typeof intensities)[number];

/** CDISC CT AESEV submission values. */
export const sdtmAesev = {
	mild: 'MILD',
	moderate: 'MODERATE',
	severe: 'SEVERE'
} as const satisfies Record<Intensity, string>;

export const intensityLabel = {
	mild: 'Mild',
	moderate: 'Moderate',
	severe: 'Severe'
} as const satisfies Record<Intensity, string>;

/** A severity always says which scale it was graded on, so a record keeps its meaning. */
export type Severity =
	{ scale: 'ctcae'; grade: CtcaeGrade } | { scale: 'mild-moderate-severe'; intensity: Intensity };

export function isCtcaeGrade(value: unknown): value is CtcaeGrade {
	return ctcaeGrades.some((grade) => grade === value);
}

export function isIntensity(value: unknown): value is Intensity {
	return intensities.some((intensity) => intensity === value);
}

/** "Grade 3 – Severe or medically significant" or "Moderate". */
export function severityLabel(severity: Severity): string {
	return severity.scale === 'ctcae'
		? `Grade ${severity.grade} – ${ctcaeGradeLabel[severity.grade]}`
		: intensityLabel[severity.intensity];
}

/** SDTM AE: CTCAE grades go to AETOXGR, the three-word scale to AESEV. */
export function sdtmSeverity(severity: Severity): { AESEV: string; AETOXGR: string } {
	return severity.scale === 'ctcae'
		? { AESEV: '', AETOXGR: String(severity.grade) }
		: { AESEV: sdtmAesev[severity.intensity], AETOXGR: '' };
}

/** Stored text names its scale, so a row read alone still says what the number means. */
export function encodeSeverity(severity: Severity): string {
	return severity.scale === 'ctcae' ? `grade:${severity.grade}` : `intensity:${severity.intensity}`;
}

export function decodeSeverity(text: string): Severity {
	const [kind, value] = text.split(':');
	const grade = Number(value);
	if (kind === 'grade' && isCtcaeGrade(grade)) return { scale: 'ctcae', grade };
	if (kind === 'intensity' && isIntensity(value)) {
		return { scale: 'mild-moderate-severe', intensity: value };
	}
	throw new Error(`Stored adverse-event severity '${text}' is not readable`);
}

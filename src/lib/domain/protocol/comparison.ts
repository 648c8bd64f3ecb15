import { z } from 'zod';

// A threshold is written with its operator, because the DOMAIN.md table mixes them on purpose:
// SBP notify is "≥ 140" but urgent is "> 180". Writing `{ op: '>=', value: 140 }` keeps that exact.

export const COMPARISON_OPS = ['>', '>=', '<', '<='] as const;
export type ComparisonOp = (typeof COMPARISON_OPS)[number];

const finite = z.number().finite();

export const comparisonSchema = z.strictObject({
	op: z.enum(COMPARISON_OPS, { error: 'Use one of >, >=, < or <=.' }),
	value: finite
});
export type Comparison = z.infer<typeof comparisonSchema>;

/** A threshold on the high side of a band: the value is at or above it. */
export const highComparisonSchema = z.strictObject({
	op: z.enum(['>', '>='], { error: 'A high threshold uses > or >=.' }),
	value: finite
});
export type HighComparison = z.infer<typeof highComparisonSchema>;

/** A threshold on the low side of a band: the value is at or below it. */
export const lowComparisonSchema = z.strictObject({
	op: z.enum(['<', '<='], { error: 'A low threshold uses < or <=.' }),
	value: finite
});
export type LowComparison = z.infer<typeof lowComparisonSchema>;

/** Whether `value` meets the threshold, e.g. compare(140, { op: '>=', value: 140 }) is true. */
export function compare(value: number, threshold: Comparison): boolean {
	switch (threshold.op) {
		case '>':
			return value > threshold.value;
		case '>=':
			return value >= threshold.value;
		case '<':
			return value < threshold.value;
		case '<=':
			return value <= threshold.value;
	}
}

const SYMBOLS: Record<ComparisonOp, string> = { '>': '>', '>=': '≥', '<': '<', '<=': '≤' };

/** The threshold as people write it: "≥ 140 mmHg". */
export function describeComparison(threshold: Comparison, unit = ''): string {
	const text = `${SYMBOLS[threshold.op]} ${threshold.value}`;
	return unit ? `${text} ${unit}` : text;
}

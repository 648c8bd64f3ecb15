// Numbers as the dashboards print them: shared by the view models and the components that draw them.

/** A number to `digits` decimals, or '—' when there is none. */
export function fmt(value: number | null | undefined, digits = 1): string {
	return value === null || value === undefined || Number.isNaN(value) ? '—' : value.toFixed(digits);
}

/** "12.3 to 18.9", or '—' without an interval. */
export function range(lower: number | null, upper: number | null, digits = 1): string {
	return lower === null || upper === null ? '—' : `${fmt(lower, digits)} to ${fmt(upper, digits)}`;
}

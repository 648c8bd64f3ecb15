// Numbers as the dashboards print them, and colours that stay apart for colour-blind readers.

/** A number to `digits` decimals, or '—' when there is none. */
export function fmt(value: number | null | undefined, digits = 1): string {
	return value === null || value === undefined || Number.isNaN(value) ? '—' : value.toFixed(digits);
}

/** "12.3 to 18.9", or '—' without an interval. */
export function range(lower: number | null, upper: number | null, digits = 1): string {
	return lower === null || upper === null ? '—' : `${fmt(lower, digits)} to ${fmt(upper, digits)}`;
}

/** Okabe & Ito (2008) colour-blind-safe palette, strongest contrast first. */
export const PALETTE = [
	'#0072B2',
	'#D55E00',
	'#009E73',
	'#CC79A7',
	'#E69F00',
	'#56B4E9',
	'#000000'
];

/** Point shapes to go with the colours, so groups differ without colour too. */
export const POINT_STYLES = ['circle', 'triangle', 'rect', 'rectRot', 'star', 'crossRot', 'cross'];

export const colour = (i: number) => PALETTE[i % PALETTE.length]!;
export const pointStyle = (i: number) => POINT_STYLES[i % POINT_STYLES.length]!;

/** The brand teal, for single series. */
export const BRAND = '#0b5d6b';
export const BAND = 'rgba(11, 93, 107, 0.18)';

// Colours that stay apart for colour-blind readers, and the numbers' format ($lib/views/format).

export { fmt, range } from '$lib/views/format';

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

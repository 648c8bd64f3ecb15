/**
 * Causality and expectedness: the two questions, besides seriousness, that make an event a
 * SUSAR (suspected unexpected serious adverse reaction, EU CTR art. 2(2)(33); ICH E2A §III).
 */

/**
 * Investigator's relatedness to the study drug, default 5-point scale (DOMAIN.md §3 [D]).
 * The investigator's assessment stands; a sponsor cannot downgrade it (ICH E2A §III.A.1).
 */
export const relatednessScale = [
	'not-related',
	'unlikely',
	'possible',
	'probable',
	'definite'
] as const;
export type Relatedness = (typeof relatednessScale)[number];

export const relatednessLabel = {
	'not-related': 'Not related',
	unlikely: 'Unlikely related',
	possible: 'Possibly related',
	probable: 'Probably related',
	definite: 'Definitely related'
} as const satisfies Record<Relatedness, string>;

/**
 * SDTM AEREL text. SDTMIG leaves AEREL sponsor-defined (no CDISC codelist), so these values are
 * ours; the define.xml of an export must list them.
 */
export const sdtmAerel = {
	'not-related': 'NOT RELATED',
	unlikely: 'UNLIKELY RELATED',
	possible: 'POSSIBLY RELATED',
	probable: 'PROBABLY RELATED',
	definite: 'DEFINITELY RELATED'
} as const satisfies Record<Relatedness, string>;

export function toSdtmAerel(relatedness: Relatedness): (typeof sdtmAerel)[Relatedness] {
	return sdtmAerel[relatedness];
}

/**
 * Binary causality for expedited reporting: "a reasonable possibility" of a causal relationship
 * (ICH E2A §III.A.1) covers possible, probable and definite; not related and unlikely do not.
 */
export const binaryRelatedness = {
	'not-related': 'not related',
	unlikely: 'not related',
	possible: 'related',
	probable: 'related',
	definite: 'related'
} as const satisfies Record<Relatedness, 'related' | 'not related'>;
export type BinaryRelatedness = (typeof binaryRelatedness)[Relatedness];

export function toBinaryRelatedness(relatedness: Relatedness): BinaryRelatedness {
	return binaryRelatedness[relatedness];
}

/** True when the event counts as a suspected adverse reaction (see binaryRelatedness). */
export function isRelated(relatedness: Relatedness): boolean {
	return binaryRelatedness[relatedness] === 'related';
}

/**
 * Expectedness against the reference safety information (the investigator's brochure), ICH E2A
 * §II.C. SDTM has no standard AE variable for it; an export puts it in SUPPAE.
 */
export const expectednessValues = ['expected', 'unexpected'] as const;
export type Expectedness = (typeof expectednessValues)[number];

export const expectednessLabel = {
	expected: 'Expected (listed in the reference safety information)',
	unexpected: 'Unexpected'
} as const satisfies Record<Expectedness, string>;

/** Outcome of an adverse event (SDTM AEOUT). */

/** Our codes; each maps to one CDISC CT OUT (C66768) submission value below. */
export const outcomes = [
	'recovered',
	'recovering',
	'not-recovered',
	'recovered-with-sequelae',
	'fatal',
	'unknown'
] as const;
export type Outcome = (typeof outcomes)[number];

export const outcomeLabel = {
	recovered: 'Recovered / resolved',
	recovering: 'Recovering / resolving',
	'not-recovered': 'Not recovered / not resolved',
	'recovered-with-sequelae': 'Recovered / resolved with sequelae',
	fatal: 'Fatal',
	unknown: 'Unknown'
} as const satisfies Record<Outcome, string>;

/** CDISC CT OUT (C66768) submission values for AEOUT. */
export const sdtmAeout = {
	recovered: 'RECOVERED/RESOLVED',
	recovering: 'RECOVERING/RESOLVING',
	'not-recovered': 'NOT RECOVERED/NOT RESOLVED',
	'recovered-with-sequelae': 'RECOVERED/RESOLVED WITH SEQUELAE',
	fatal: 'FATAL',
	unknown: 'UNKNOWN'
} as const satisfies Record<Outcome, string>;

export function toSdtmAeout(outcome: Outcome): (typeof sdtmAeout)[Outcome] {
	return sdtmAeout[outcome];
}

/** Outcomes that say the event is over, so its end date-time must be known. */
export const resolvedOutcomes = [
	'recovered',
	'recovered-with-sequelae'
] as const satisfies readonly Outcome[];

/** Outcomes that say the event is still going on, so it cannot have an end date-time. */
export const ongoingOutcomes = [
	'recovering',
	'not-recovered'
] as const satisfies readonly Outcome[];

export function isResolvedOutcome(outcome: Outcome): boolean {
	return resolvedOutcomes.some((resolved) => resolved === outcome);
}

export function isOngoingOutcome(outcome: Outcome): boolean {
	return ongoingOutcomes.some((ongoing) => ongoing === outcome);
}

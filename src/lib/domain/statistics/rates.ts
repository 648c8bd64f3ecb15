/** Proportions, rates and changes as the dashboards report them. */
import { wilsonInterval, type Interval } from './intervals';

export interface Proportion {
	/** Participants (or events) meeting the criterion: the n of "n/N". */
	count: number;
	/** Out of: the N of "n/N". */
	of: number;
	/** count / of, from 0 to 1; null when of = 0. */
	p: number | null;
	/** Wilson 95 % interval of p; null when of = 0. */
	ci: Interval | null;
}

/** n/N with its Wilson 95 % interval. */
export function proportion(count: number, of: number): Proportion {
	const ci = wilsonInterval(count, of);
	return { count, of, p: of > 0 ? count / of : null, ci };
}

/**
 * Incidence proportion: participants with at least one event among those exposed (dosed)
 * (ICH E9 / CONSORT-harms "participants with ≥ 1 event / participants exposed").
 */
export function incidence(participantsWithEvent: number, participantsDosed: number): Proportion {
	return proportion(participantsWithEvent, participantsDosed);
}

/** Events per 100 units of exposure (e.g. breaches per 100 dosing sessions): 100 · events / units. */
export function ratePer100(events: number, units: number): number | null {
	if (!(units > 0)) return null;
	return (100 * events) / units;
}

/** Percent change (to − from) / from × 100 (negative = lower); null when from is 0 (DOMAIN.md §2). */
export function percentChange(from: number, to: number): number | null {
	if (from === 0) return null;
	return ((to - from) / from) * 100;
}

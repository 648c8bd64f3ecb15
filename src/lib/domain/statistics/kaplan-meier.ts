/**
 * Kaplan–Meier product-limit estimate with Greenwood's variance and the log-log ("exponential
 * Greenwood") confidence interval, as SAS LIFETEST's default (DOMAIN-2.md §6):
 * S(t) = Π(1 − dⱼ/nⱼ); Var S = S²·Σ dⱼ/(nⱼ(nⱼ − dⱼ)); CI = S^exp(±z·√Σ / |ln S|), the lower limit
 * with +. At a time with both, events come before censorings. Median = first t with S ≤ 0.5.
 */
import { Z_95 } from './normal-quantile';

export interface SurvivalObservation {
	/** Time from origin, in any unit (Vigil uses weeks). */
	time: number;
	/** true: the event (relapse) happened at `time`; false: censored then. */
	event: boolean;
}

export interface SurvivalStep {
	time: number;
	atRisk: number;
	events: number;
	censored: number;
	survival: number;
	/** Greenwood standard error of S. */
	se: number;
	/** Log-log interval; null where S is 0 or 1 (no interval on that scale). */
	lower: number | null;
	upper: number | null;
}

export interface SurvivalCurve {
	n: number;
	events: number;
	/** One step per distinct time with an event or a censoring. */
	steps: SurvivalStep[];
	/** Null when S never falls to 0.5. */
	median: number | null;
	method: 'Kaplan–Meier, Greenwood variance, log-log 95 % CI';
}

export function kaplanMeier(observations: readonly SurvivalObservation[], z = Z_95): SurvivalCurve {
	return kaplanMeierOfTallies(
		observations.map((o) => ({ time: o.time, event: o.event, count: 1 })),
		z
	);
}

/** Observations at one time with one ending, counted (as a GROUP BY gives them). */
export interface SurvivalTally extends SurvivalObservation {
	count: number;
}

/** The same estimate from observations counted by time and ending: what kaplanMeier computes. */
export function kaplanMeierOfTallies(tallies: readonly SurvivalTally[], z = Z_95): SurvivalCurve {
	for (const o of tallies) {
		if (!Number.isFinite(o.time) || o.time < 0) throw new RangeError('Times must be ≥ 0.');
	}
	// Events and censorings per distinct time, counted in one pass (a filter per time was
	// quadratic: a second at the trial tier's 30,000 participants).
	const at = new Map<number, { events: number; all: number }>();
	let n = 0;
	let events = 0;
	for (const o of tallies) {
		const c = at.get(o.time) ?? { events: 0, all: 0 };
		c.all += o.count;
		n += o.count;
		if (o.event) {
			c.events += o.count;
			events += o.count;
		}
		at.set(o.time, c);
	}
	const times = [...at.keys()].sort((a, b) => a - b);
	let atRisk = n;
	let survival = 1;
	let greenwood = 0;
	let median: number | null = null;
	const steps: SurvivalStep[] = [];
	for (const time of times) {
		const { events, all } = at.get(time)!;
		const censored = all - events;
		if (events > 0) {
			survival *= 1 - events / atRisk;
			greenwood += atRisk > events ? events / (atRisk * (atRisk - events)) : Infinity;
		}
		const se = survival > 0 && Number.isFinite(greenwood) ? survival * Math.sqrt(greenwood) : 0;
		const band = logLogBand(survival, greenwood, z);
		steps.push({ time, atRisk, events, censored, survival, se, ...band });
		if (median === null && survival <= 0.5) median = time;
		atRisk -= all;
	}
	return {
		n,
		events,
		steps,
		median,
		method: 'Kaplan–Meier, Greenwood variance, log-log 95 % CI'
	};
}

function logLogBand(
	s: number,
	sum: number,
	z: number
): { lower: number | null; upper: number | null } {
	if (s <= 0 || s >= 1 || !Number.isFinite(sum)) return { lower: null, upper: null };
	const spread = (z * Math.sqrt(sum)) / Math.abs(Math.log(s));
	return { lower: s ** Math.exp(spread), upper: s ** Math.exp(-spread) };
}

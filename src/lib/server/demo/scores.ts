// A participant's course of depression through the study: the MADRS baseline, how far it falls
// after dosing (or not), a relapse for a few, and the other scales' totals that go with a MADRS
// total on the same day. Pure.
import type { NumericScaleId } from '../../domain/scales';
import { clamp, type Random } from './random';

export type ResponseClass = 'responder' | 'partial' | 'non-responder';

export interface Course {
	/** MADRS at baseline. */
	baseline: number;
	responseClass: ResponseClass;
	/** Fraction of the baseline lost once the full effect is reached. */
	reduction: number;
	/** Days after the first dose at which a relapse begins, if one does. */
	relapseFromDay: number | null;
}

export function drawCourse(rng: Random): Course {
	// MADRS baseline ~30 (Oslo trial 29.6, DOMAIN.md §1), range 25–40 (demo brief)
	const baseline = Math.round(clamp(rng.normal(30, 4), 25, 40));
	// Demo mix [D]: responders 60 % (−50 to −80 %, some remitting ≤ 10, DOMAIN.md §2), partial
	// 15 %, non-responders 25 % (~−10 %); the Oslo trial's mean change was −19.3 (DOMAIN.md §1)
	const responseClass = rng.weighted([
		['responder', 60],
		['partial', 15],
		['non-responder', 25]
	] as const);
	const reduction =
		responseClass === 'responder'
			? rng.uniform(0.5, 0.8)
			: responseClass === 'partial'
				? rng.uniform(0.25, 0.45)
				: rng.uniform(0, 0.2);
	// A few responders relapse at 6–12 months (demo brief): 15 % of them [D]
	const relapses = responseClass === 'responder' && rng.chance(0.15);
	return {
		baseline,
		responseClass,
		reduction,
		relapseFromDay: relapses ? rng.uniform(150, 300) : null
	};
}

/**
 * Share of the full effect reached, by days since the first dose: about half after the first
 * session, the full effect some weeks after the second (28 days later; the Oslo trial's primary
 * endpoint is 8 weeks after it, DOMAIN.md §1) [D].
 */
const PROGRESS: ReadonlyArray<readonly [number, number]> = [
	[0, 0],
	[1, 0.1],
	[7, 0.45],
	[28, 0.55],
	[35, 0.8],
	[56, 1]
];

function interpolate(points: ReadonlyArray<readonly [number, number]>, x: number): number {
	const first = points[0]!;
	if (x <= first[0]) return first[1];
	for (let i = 1; i < points.length; i++) {
		const [x1, y1] = points[i]!;
		const [x0, y0] = points[i - 1]!;
		if (x <= x1) return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
	}
	return points[points.length - 1]![1];
}

function progress(course: Course, days: number): number {
	const reached = interpolate(PROGRESS, days);
	if (course.relapseFromDay !== null && days > course.relapseFromDay) {
		// Relapse: most of the gain is lost over the next two months [D]
		return reached * (1 - 0.8 * Math.min(1, (days - course.relapseFromDay) / 60));
	}
	// Otherwise the effect wanes a little over the year [D]
	return reached * (1 - 0.08 * clamp((days - 120) / 245, 0, 1));
}

/** The MADRS total on a day: `daysSinceFirstDose` null before dosing. */
export function madrsOn(rng: Random, course: Course, daysSinceFirstDose: number | null): number {
	const p = daysSinceFirstDose === null ? 0 : progress(course, daysSinceFirstDose);
	const expected = course.baseline * (1 - course.reduction * p);
	return Math.round(clamp(rng.normal(expected, 2), 0, 60)); // MADRS 0–60 (DOMAIN.md §2)
}

/**
 * The other scales' totals for a MADRS total: a MADRS of 30 (moderate, Snaith 1986) maps to
 * moderately severe to severe on the others, near the bands of DOMAIN.md §2 [D]; each with its
 * own noise, cut to its range (DOMAIN.md §2 table).
 */
const FROM_MADRS: Record<
	Exclude<NumericScaleId, 'MADRS'>,
	{ ratio: number; sd: number; max: number }
> = {
	PHQ9: { ratio: 0.63, sd: 1.5, max: 27 },
	HAMD17: { ratio: 0.73, sd: 1.5, max: 52 },
	QIDSSR16: { ratio: 0.57, sd: 1.5, max: 27 },
	BDI2: { ratio: 1.07, sd: 2.5, max: 63 }
};

export function totalFor(rng: Random, id: NumericScaleId, madrs: number): number {
	if (id === 'MADRS') return madrs;
	const { ratio, sd, max } = FROM_MADRS[id];
	return Math.round(clamp(rng.normal(madrs * ratio, sd), 0, max));
}

/** 0 none, 1 passive thoughts, 2–3 MADRS item 10 at the notify level (DOMAIN.md §2 flags). */
export type SuicidalThoughts = 0 | 1 | 2 | 3;

export function suicidalThoughtsOn(rng: Random, madrs: number): SuicidalThoughts {
	// Occasionally 2–3 (demo brief), more often when depressed: 2 % of visits at MADRS 30 [D]
	if (rng.chance((0.02 * madrs) / 30)) return rng.chance(0.3) ? 3 : 2;
	// Fleeting thoughts are common in moderate depression, gone in remission [D]
	return rng.chance(clamp((madrs - 8) / 40, 0, 0.6)) ? 1 : 0;
}

// How a participant's vital signs move through a dosing session: a rise after T0 that peaks at
// 1–2 h and settles by the end (DOMAIN.md §1, Vizeli & Liechti 2017; Kolbrich 2008), a smaller
// bump after the supplemental dose, and reading-to-reading noise. Pure: values only, no database.
import { clamp, type Random } from './random';

export interface Vitals {
	systolic: number;
	diastolic: number;
	heartRate: number;
	/** °C */
	temperature: number;
}

export interface SessionPhysiology {
	baseline: Vitals;
	/** Rise above baseline at the peak of the initial dose's effect. */
	rise: Vitals;
	/** Minutes from T0 to the cardiovascular peak. */
	peakMinutes: number;
	/** Minutes from T0 to the temperature peak (later and broader than the pressure peak). */
	temperaturePeakMinutes: number;
}

/** A participant's own resting values, drawn once. */
export function drawRestingVitals(rng: Random): Vitals {
	return {
		systolic: clamp(rng.normal(118, 9), 98, 142), // resting SBP: ~120 ± 12 on the day (demo brief)
		diastolic: clamp(rng.normal(74, 6), 58, 88), // resting DBP, normotensive adults [D]
		heartRate: clamp(rng.normal(72, 9), 52, 96), // resting HR ~72 bpm (demo brief)
		temperature: clamp(rng.normal(36.6, 0.2), 36.1, 37.1) // °C, normal body temperature [D]
	};
}

/**
 * Systolic peak rise +18–32 mmHg (demo brief: +20–35), so that with a baseline of ~120 ± 12 a
 * minority of sessions passes 160 — fewer than the 33 % of healthy volunteers in Vizeli &
 * Liechti 2017 (DOMAIN.md §1), as sites screen out hypertension — and 1.5 % surge past 180
 * (urgent band, DOMAIN.md §1) [D].
 */
function systolicRise(rng: Random): number {
	const rise = rng.uniform(18, 32);
	return rng.chance(0.015) ? rise + rng.uniform(28, 40) : rise;
}

/**
 * Heart-rate peak rise +12–24 bpm (demo brief: +15–30), kept mostly under the protocol's +30 bpm
 * change rule (DOMAIN.md §1) so that the supplemental dose is mostly given; HR up to 132 in
 * Kolbrich 2008, HR > 100 in 29 % of volunteers (Vizeli & Liechti 2017): a strong response in
 * 4 % here [D].
 */
function heartRateRise(rng: Random): number {
	const rise = rng.uniform(12, 24);
	return rng.chance(0.04) ? rise + rng.uniform(12, 22) : rise;
}

/** Temperature: +0.2–0.8 °C; rarely ≥ 38.0 °C (action band, DOMAIN.md §1). */
function temperatureRise(rng: Random, baseline: number): number {
	const rise = rng.uniform(0.2, 0.8); // demo brief
	// > 38 °C in 19 % of volunteers (Vizeli & Liechti 2017); kept rare (3 %) in a cool clinic [D]
	if (rng.chance(0.03)) return Math.max(rise, rng.uniform(38.15, 38.6) - baseline);
	return rise;
}

/** The session's course: the day's baseline near the resting values, and how far each rises. */
export function drawSessionPhysiology(rng: Random, resting: Vitals): SessionPhysiology {
	const baseline: Vitals = {
		// Pre-dose anticipation lifts values a little on the day [D]
		systolic: resting.systolic + rng.normal(2, 4),
		diastolic: resting.diastolic + rng.normal(1, 3),
		heartRate: resting.heartRate + rng.normal(3, 4),
		temperature: resting.temperature + rng.normal(0, 0.1)
	};
	const sbpRise = systolicRise(rng);
	return {
		baseline,
		rise: {
			systolic: sbpRise,
			// DBP follows SBP at less than half the rise (Kolbrich 2008 curves) [D]
			diastolic: sbpRise * rng.uniform(0.3, 0.45),
			heartRate: heartRateRise(rng),
			temperature: temperatureRise(rng, baseline.temperature)
		},
		peakMinutes: rng.uniform(60, 120), // peak effect 1–2 h after the dose (DOMAIN.md §1)
		temperaturePeakMinutes: rng.uniform(150, 240) // temperature lags the pressor peak [D]
	};
}

/** A gamma-shaped effect: 0 before the dose, 1 at `peak`, back near 0 some hours later. */
function effect(minutes: number, peak: number, shape: number): number {
	if (minutes <= 0) return 0;
	const x = minutes / peak;
	return Math.pow(x, shape) * Math.exp(shape * (1 - x));
}

/** The expected values at a time, without noise. */
export function expectedVitals(
	p: SessionPhysiology,
	minutes: number,
	supplementalMinutes: number | null
): Vitals {
	// The half-dose adds a smaller, later bump (about a quarter of the first rise) [D]
	const extra =
		supplementalMinutes === null ? 0 : 0.25 * effect(minutes - supplementalMinutes, 75, 2);
	const pressor = Math.min(1.05, effect(minutes, p.peakMinutes, 2) + extra);
	const heat = effect(minutes, p.temperaturePeakMinutes, 1.5);
	return {
		systolic: p.baseline.systolic + p.rise.systolic * pressor,
		diastolic: p.baseline.diastolic + p.rise.diastolic * pressor,
		heartRate: p.baseline.heartRate + p.rise.heartRate * pressor,
		temperature: p.baseline.temperature + p.rise.temperature * heat
	};
}

/** One measured reading: expected values plus measurement noise, rounded as a monitor shows them. */
export function measureVitals(
	rng: Random,
	p: SessionPhysiology,
	minutes: number,
	supplementalMinutes: number | null
): Vitals {
	const e = expectedVitals(p, minutes, supplementalMinutes);
	// Noise: cuff ±4/±3 mmHg, pulse ±3 bpm, thermometer ±0.1 °C [D]; kept inside the
	// plausibility limits of DOMAIN.md §1 (SBP 50–300, DBP 20–200 and below SBP, HR 20–250)
	const systolic = Math.round(clamp(rng.normal(e.systolic, 4), 85, 200));
	const diastolic = Math.round(clamp(rng.normal(e.diastolic, 3), 50, systolic - 25));
	return {
		systolic,
		diastolic,
		heartRate: Math.round(clamp(rng.normal(e.heartRate, 3), 48, 140)),
		temperature: Math.round(clamp(rng.normal(e.temperature, 0.08), 35.8, 39) * 10) / 10
	};
}

import type { VitalMeasure } from '../protocol/codes';
import type { VitalsTimepoint } from '../protocol/schema-session';
import { hasMeasure, isInEffect } from './reading';
import type { VitalsReading } from './reading';
import { addMinutes, minutesFromT0, parsedOnce, withTimesParsed } from './time';
import type { Instant } from './time';

export interface NearestOptions {
	/** Farther than this from every timepoint → no timepoint. Unlimited when left out. */
	toleranceMinutes?: number;
	/** Minutes from T0 at which the session ended; the "end" timepoint is considered only then. */
	endMinutes?: number | null;
}

function timepointMinutes(tp: VitalsTimepoint, endMinutes: number | null | undefined) {
	return tp.minutes === 'end' ? (endMinutes ?? undefined) : tp.minutes;
}

/** The scheduled timepoint closest to `minutes` from T0; on a tie, the earlier one. */
export function nearestScheduledTimepoint(
	timepoints: readonly VitalsTimepoint[],
	minutes: number,
	options: NearestOptions = {}
): VitalsTimepoint | undefined {
	let best: { tp: VitalsTimepoint; distance: number } | undefined;
	for (const tp of timepoints) {
		const at = timepointMinutes(tp, options.endMinutes);
		if (at === undefined) continue;
		const distance = Math.abs(at - minutes);
		if (distance > (options.toleranceMinutes ?? Infinity)) continue;
		if (!best || distance < best.distance) best = { tp, distance };
	}
	return best?.tp;
}

export type DueStatus = 'done' | 'not-done' | 'due' | 'late' | 'upcoming' | 'not-needed';

export interface DueReading {
	timepoint: VitalsTimepoint;
	/** T0 + minutes, or the end time for "end"; null while the session has not ended. */
	scheduledAt: Date | null;
	/**
	 * done: every due measure taken; not-done: recorded as not done, with a reason; not-needed:
	 * the session ended before it.
	 */
	status: DueStatus;
	/** Whole minutes past the scheduled time while still not done; 0 otherwise. */
	minutesLate: number;
	/** Measures due at this timepoint and not yet taken. */
	missing: VitalMeasure[];
}

export interface DueOptions {
	/** A timepoint shows as due this many minutes before its time (default 10). */
	dueBeforeMinutes?: number;
	/** Late only after this many whole minutes past its time (default 0). */
	graceMinutes?: number;
	/** A reading without a timepoint counts for the nearest one within this (default 10). */
	matchToleranceMinutes?: number;
}

interface Session {
	t0: Instant;
	endMinutes: number | null;
	timepoints: readonly VitalsTimepoint[];
	tolerance: number;
}

/**
 * The readings answering each timepoint, in the order given: one pass over the readings (a
 * reading's nearest timepoint does not depend on which timepoint asks).
 */
function readingsByTimepoint<R extends VitalsReading>(
	readings: readonly R[],
	session: Session
): Map<VitalsTimepoint, R[]> {
	const byNumber = new Map<number | null, VitalsTimepoint[]>();
	for (const tp of new Set(session.timepoints)) {
		byNumber.set(tp.vstptnum, [...(byNumber.get(tp.vstptnum) ?? []), tp]);
	}
	const out = new Map<VitalsTimepoint, R[]>();
	if (session.timepoints.length === 0) return out;
	for (const r of readings) {
		const answered =
			r.timepointNumber !== undefined
				? (byNumber.get(r.timepointNumber) ?? [])
				: [nearestOf(r, session)].filter((tp) => tp !== undefined);
		for (const tp of answered) {
			const list = out.get(tp);
			if (list) list.push(r);
			else out.set(tp, [r]);
		}
	}
	return out;
}

function nearestOf(reading: VitalsReading, session: Session): VitalsTimepoint | undefined {
	return nearestScheduledTimepoint(session.timepoints, minutesFromT0(session.t0, reading.takenAt), {
		toleranceMinutes: session.tolerance,
		endMinutes: session.endMinutes
	});
}

function statusAt(scheduledAt: Date, now: Instant, options: DueOptions) {
	const minutesLate = Math.floor(minutesFromT0(scheduledAt, now));
	if (minutesLate > (options.graceMinutes ?? 0)) return { status: 'late' as const, minutesLate };
	const soon = minutesLate >= -(options.dueBeforeMinutes ?? 10);
	return { status: soon ? ('due' as const) : ('upcoming' as const), minutesLate: 0 };
}

/**
 * Each scheduled timepoint of a session with its status at `now`: done, due, late (by how many
 * minutes), upcoming, or not needed because the session ended first. Entered-in-error readings
 * do not count. `endTime` is null while the session is running.
 */
export function dueReadings(
	timepoints: readonly VitalsTimepoint[],
	t0: Instant,
	endTime: Instant | null,
	readings: readonly VitalsReading[],
	now: Instant,
	options: DueOptions = {}
): DueReading[] {
	// Each time parsed once: T0 is read per reading and per timepoint.
	t0 = parsedOnce(t0);
	readings = withTimesParsed(readings);
	const endMinutes = endTime === null ? null : minutesFromT0(t0, endTime);
	const tolerance = options.matchToleranceMinutes ?? 10;
	const session: Session = { t0, endMinutes, timepoints, tolerance };
	const answering = readingsByTimepoint(readings.filter(isInEffect), session);
	return timepoints.map((timepoint) => {
		const mine = answering.get(timepoint) ?? [];
		const missing = timepoint.measurements.filter((m) => !mine.some((r) => hasMeasure(r, m)));
		const at = timepointMinutes(timepoint, endMinutes);
		const scheduledAt = at === undefined ? null : addMinutes(t0, at);
		const base = { timepoint, scheduledAt, missing };
		if (missing.length === 0) return { ...base, status: 'done', minutesLate: 0 };
		if (mine.some((r) => r.notDone)) return { ...base, status: 'not-done', minutesLate: 0 };
		if (endMinutes !== null && timepoint.minutes !== 'end' && timepoint.minutes > endMinutes) {
			return { ...base, status: 'not-needed', minutesLate: 0 };
		}
		if (scheduledAt === null) return { ...base, status: 'upcoming', minutesLate: 0 };
		return { ...base, ...statusAt(scheduledAt, now, options) };
	});
}

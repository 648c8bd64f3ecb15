// Scheduled readings missing when a session ends: each is recorded as not done with a reason
// (SDTM VSSTAT = "NOT DONE", VSREASND; DOMAIN-2.md §10), or the coordinator goes back to take it.
import type { VitalsTimepoint } from '../protocol/schema-session';
import { isInEffect, type VitalsReading } from './reading';
import { addMinutes, toMillis, type Instant } from './time';

export interface MissingReading {
	timepoint: VitalsTimepoint;
	plannedAt: Date;
}

/**
 * Scheduled timepoints planned at or before the end of the session that have no reading in
 * effect at all (neither measured nor recorded as not done). The "end" timepoint is taken at the
 * end itself and is not asked about; timepoints after the end were not needed.
 */
export function missingAtEnd(
	timepoints: readonly VitalsTimepoint[],
	t0: Instant,
	endedAt: Instant,
	readings: readonly VitalsReading[]
): MissingReading[] {
	const end = toMillis(endedAt);
	const answered = new Set(
		readings
			.filter(isInEffect)
			.map((r) => r.timepointNumber)
			.filter((n) => n !== null)
	);
	const out: MissingReading[] = [];
	for (const timepoint of timepoints) {
		if (timepoint.minutes === 'end') continue;
		const plannedAt = addMinutes(t0, timepoint.minutes);
		if (plannedAt.getTime() > end || answered.has(timepoint.vstptnum)) continue;
		out.push({ timepoint, plannedAt });
	}
	return out;
}

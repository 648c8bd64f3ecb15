// Stored readings as the domain rules see them.
import type { VitalsTimepoint } from '../../../domain/protocol';
import { measuresOf, type VitalsReading } from '../../../domain/vitals';
import type { VitalReading } from '../../db/schema';

/** The timepoint label of a recheck outside the schedule. */
export const UNSCHEDULED = 'UNSCHEDULED';

export function toDomainReading(
	r: VitalReading,
	timepoints: readonly VitalsTimepoint[]
): VitalsReading & { id: number } {
	return {
		id: r.id,
		takenAt: r.measured_at,
		...measuresOf(r),
		timepointNumber:
			r.timepoint_label === UNSCHEDULED
				? null
				: (timepoints.find((t) => t.vstpt === r.timepoint_label)?.vstptnum ?? null),
		enteredInError: r.entered_in_error_at !== null,
		notDone: r.not_done_reason
	};
}

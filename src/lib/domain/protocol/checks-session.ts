import type { Report } from './report';
import type { DosingSession, VitalsTimepoint } from './schema-session';

const AT = ['dosingSession', 'vitalsTimepoints'] as const;

/** Minutes strictly increase, "end" comes last, and one timepoint precedes the dose (baseline). */
function checkTimepointMinutes(timepoints: VitalsTimepoint[], report: Report): void {
	let previous = -Infinity;
	timepoints.forEach((tp, i) => {
		if (tp.minutes === 'end') {
			if (i !== timepoints.length - 1) {
				report([...AT, i, 'minutes'], 'The end-of-session timepoint must be the last one.');
			}
			return;
		}
		if (tp.minutes <= previous) {
			report(
				[...AT, i, 'minutes'],
				`Timepoints must be sorted with unique minutes; ${tp.minutes} does not follow ${previous}.`
			);
		}
		previous = Math.max(previous, tp.minutes);
	});
	if (!timepoints.some((tp) => tp.minutes !== 'end' && tp.minutes < 0)) {
		report([...AT], 'The schedule needs a pre-dose timepoint (negative minutes) for the baseline.');
	}
}

/** VSTPTNUM increases with the schedule; VSTPT labels and measurements are not repeated. */
function checkTimepointLabels(timepoints: VitalsTimepoint[], report: Report): void {
	const labels = new Set<string>();
	timepoints.forEach((tp, i) => {
		const before = timepoints[i - 1];
		if (before && tp.vstptnum <= before.vstptnum) {
			report(
				[...AT, i, 'vstptnum'],
				`VSTPTNUM must increase; ${tp.vstptnum} follows ${before.vstptnum}.`
			);
		}
		if (labels.has(tp.vstpt)) report([...AT, i, 'vstpt'], `The label ${tp.vstpt} is used twice.`);
		labels.add(tp.vstpt);
		tp.measurements.forEach((m, j) => {
			if (tp.measurements.indexOf(m) !== j) {
				report([...AT, i, 'measurements', j], `${m} is listed twice.`);
			}
		});
	});
}

export function checkDosingSession(session: DosingSession, report: Report): void {
	checkTimepointMinutes(session.vitalsTimepoints, report);
	checkTimepointLabels(session.vitalsTimepoints, report);
	const { earliest, latest } = session.supplementalDoseMinutes;
	if (earliest > latest) {
		report(
			['dosingSession', 'supplementalDoseMinutes', 'latest'],
			`The latest time for the supplemental dose (${latest} min) is before the earliest (${earliest} min).`
		);
	}
}

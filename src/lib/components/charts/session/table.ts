// The rows of a session chart's data table: exactly the points the chart plots.
import type { Cell } from '$lib/views/csv';
import type { VitalMeasure } from '$lib/domain/protocol/codes';
import type { SessionChartModel } from '$lib/views/session-chart';

const HEADS: Record<VitalMeasure, string> = {
	systolic: 'Systolic (mmHg)',
	diastolic: 'Diastolic (mmHg)',
	heartRate: 'Heart rate (bpm)',
	temperature: 'Temperature (°C)'
};
const WORDS: Record<VitalMeasure, string> = {
	systolic: 'systolic',
	diastolic: 'diastolic',
	heartRate: 'heart rate',
	temperature: 'temperature'
};

export function chartColumns(measures: VitalMeasure[]): Array<{ key: string; label: string }> {
	return [
		{ key: 'minutes', label: 'Minutes from T0' },
		{ key: 'time', label: 'Local time' },
		{ key: 'timepoint', label: 'Timepoint' },
		...measures.map((m) => ({ key: m, label: HEADS[m] })),
		{ key: 'flag', label: 'Flag level' }
	];
}

export function chartRows(
	model: SessionChartModel,
	measures: VitalMeasure[]
): Array<Record<string, Cell>> {
	return model.readings
		.filter((r) => measures.some((m) => r.values[m] !== null))
		.map((r) => {
			const row: Record<string, Cell> = {
				minutes: r.minutes,
				time: r.localTime,
				timepoint: r.timepoint
			};
			for (const m of measures) row[m] = r.values[m];
			row.flag = measures
				.filter((m) => r.levels[m])
				.map((m) => `${r.levels[m]} (${WORDS[m]})`)
				.join('; ');
			return row;
		});
}

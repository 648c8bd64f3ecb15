// Chart.js configuration of a session's vitals against minutes from T0: one line per measure,
// flagged readings drawn bigger in their flag's colour. No functions in the config, so it passes
// through $state.snapshot unchanged.
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import { sessionAnnotations, type AnnotationChoice } from './annotations';
import { LEVEL_COLOURS, MEASURE_STYLE } from './colours';
import type { VitalMeasure } from '$lib/domain/protocol/codes';
import type { SessionChartModel } from '$lib/views/session-chart';

function dataset(
	model: SessionChartModel,
	m: VitalMeasure,
	compact: boolean
): ChartDataset<'scatter'> {
	const style = MEASURE_STYLE[m];
	const plotted = model.readings.filter((r) => r.values[m] !== null);
	const normal = compact ? 2 : 3;
	return {
		label: style.label,
		data: plotted.map((r) => ({ x: r.minutes, y: r.values[m]! })),
		showLine: true,
		borderColor: style.colour,
		backgroundColor: style.colour,
		borderWidth: compact ? 1.5 : 2,
		pointStyle: style.point as 'circle',
		pointBorderColor: style.colour,
		pointRadius: plotted.map((r) => (r.levels[m] ? normal + 4 : normal)),
		pointHoverRadius: plotted.map((r) => (r.levels[m] ? normal + 6 : normal + 2)),
		pointBackgroundColor: plotted.map((r) => {
			const level = r.levels[m];
			return level ? LEVEL_COLOURS[level] : style.colour;
		}),
		pointBorderWidth: plotted.map((r) => (r.levels[m] ? 2 : 1))
	};
}

export interface VitalsChartOptions extends AnnotationChoice {
	yTitle: string;
	compact?: boolean;
}

export function vitalsChartConfig(
	model: SessionChartModel,
	o: VitalsChartOptions
): ChartConfiguration<'scatter'> {
	const compact = o.compact ?? false;
	return {
		type: 'scatter',
		data: { datasets: o.measures.map((m) => dataset(model, m, compact)) },
		options: {
			responsive: true,
			maintainAspectRatio: false,
			animation: false,
			interaction: { mode: 'nearest', intersect: false },
			scales: {
				x: {
					type: 'linear',
					min: model.xRange.min,
					max: model.xRange.max,
					title: { display: !compact, text: 'Minutes from T0 (initial dose)' },
					ticks: { stepSize: compact ? 120 : 30 }
				},
				// Room above the top band, so an urgent box shows as a band, not as the edge.
				y: { grace: '4%', title: { display: true, text: o.yTitle } }
			},
			plugins: {
				legend: {
					display: true,
					labels: { usePointStyle: true, boxWidth: compact ? 6 : 10 }
				},
				annotation: { annotations: sessionAnnotations(model, o) }
			}
		}
	};
}

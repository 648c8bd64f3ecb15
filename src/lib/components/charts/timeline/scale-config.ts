// Chart.js configuration of one scale's totals across visits: the baseline, the response line
// (e.g. 50 % below baseline) and the protocol's remission threshold as annotation lines.
import type { ChartConfiguration } from 'chart.js';
import type { AnnotationOptions } from 'chartjs-plugin-annotation';
import type { ScaleChartModel } from '$lib/views/timeline';

function line(value: number, colour: string, dash: number[], text: string): AnnotationOptions {
	return {
		type: 'line',
		yMin: value,
		yMax: value,
		borderColor: colour,
		borderWidth: 1.5,
		borderDash: dash,
		label: {
			display: true,
			content: text,
			position: 'end',
			color: colour,
			backgroundColor: 'rgba(255, 255, 255, 0.85)',
			font: { size: 10 },
			padding: 2
		}
	};
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export function scaleAnnotations(m: ScaleChartModel): Record<string, AnnotationOptions> {
	const out: Record<string, AnnotationOptions> = {
		remission: line(m.remission.value, '#1f4e9c', [2, 3], m.remission.text)
	};
	if (m.baseline !== null) {
		out.baseline = line(m.baseline, '#1a1f24', [8, 4], `Baseline ${m.baseline}`);
	}
	if (m.responseLine !== null) {
		out.response = line(
			m.responseLine,
			'#0b6b2f',
			[6, 4],
			`Response: ${m.responsePercent} % below baseline (≤ ${round1(m.responseLine)})`
		);
	}
	return out;
}

/** Incomplete administrations have no total and are not plotted (nor in the table). */
export function plottedPoints(m: ScaleChartModel) {
	return m.points.filter((p) => p.total !== null);
}

export function scaleChartConfig(m: ScaleChartModel): ChartConfiguration<'line'> {
	const points = plottedPoints(m);
	return {
		type: 'line',
		data: {
			labels: points.map((p) => p.label),
			datasets: [
				{
					label: `${m.label} total`,
					data: points.map((p) => p.total),
					borderColor: '#0b5d6b',
					backgroundColor: '#0b5d6b',
					pointRadius: 4
				}
			]
		},
		options: {
			responsive: true,
			maintainAspectRatio: false,
			animation: false,
			scales: {
				x: { title: { display: true, text: 'Visit' } },
				y: { min: 0, max: m.maxTotal, title: { display: true, text: `${m.label} total` } }
			},
			plugins: {
				legend: { display: false },
				annotation: { annotations: scaleAnnotations(m) }
			}
		}
	};
}

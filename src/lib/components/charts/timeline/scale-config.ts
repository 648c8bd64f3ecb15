// Chart.js configuration of one scale's totals across visits: the baseline, the response line
// (e.g. 50 % below baseline) and the protocol's remission threshold as annotation lines.
import type { ChartConfiguration } from 'chart.js';
import type { AnnotationOptions } from 'chartjs-plugin-annotation';
import { OUTCOME_KINDS, OUTCOME_LABELS, type OutcomeKind } from '$lib/views/timeline';
import type { ScaleChartModel } from '$lib/views/timeline';

/** One shape and colour per outcome, also named in the legend below the chart (not colour alone). */
export const OUTCOME_STYLE: Record<
	OutcomeKind,
	{ pointStyle: string; colour: string; symbol: string }
> = {
	response: { pointStyle: 'triangle', colour: '#0b6b2f', symbol: '▲' },
	remission: { pointStyle: 'rectRot', colour: '#1f4e9c', symbol: '◆' },
	'sustained-remission': { pointStyle: 'star', colour: '#4b2a8c', symbol: '✶' },
	relapse: { pointStyle: 'crossRot', colour: '#a11d1d', symbol: '✕' }
};

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

/** The outcome kinds marked on this chart's assessments, in protocol order. */
export function markedKinds(m: ScaleChartModel): OutcomeKind[] {
	const on = new Set((m.durability?.markers ?? []).filter((k) => k.onChart).map((k) => k.kind));
	return OUTCOME_KINDS.filter((k) => on.has(k));
}

function outcomeDatasets(m: ScaleChartModel, points: ReturnType<typeof plottedPoints>) {
	return markedKinds(m).map((kind) => ({
		label: OUTCOME_LABELS[kind],
		data: points.map((p) =>
			(p.outcome ?? '').split('; ').includes(OUTCOME_LABELS[kind]) ? p.total : null
		),
		showLine: false,
		pointStyle: OUTCOME_STYLE[kind].pointStyle as 'triangle',
		pointRadius: 9,
		pointBorderWidth: 2,
		borderColor: OUTCOME_STYLE[kind].colour,
		backgroundColor: 'rgba(255, 255, 255, 0)'
	}));
}

export function scaleChartConfig(m: ScaleChartModel): ChartConfiguration<'line'> {
	const points = plottedPoints(m);
	const outcomes = outcomeDatasets(m, points);
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
				},
				...outcomes
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
				legend: { display: outcomes.length > 0, labels: { usePointStyle: true } },
				annotation: { annotations: scaleAnnotations(m) }
			}
		}
	};
}

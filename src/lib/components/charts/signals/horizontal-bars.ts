// One horizontal bar per row (a rule, a term), the bars' axis from 0: the safety-signals charts.
import type { ChartConfiguration } from 'chart.js';

export function horizontalBars(o: {
	labels: string[];
	values: Array<number | null>;
	/** The bars' name and the value axis's title. */
	measure: string;
	axisTitle: string;
	colour: string;
}): ChartConfiguration {
	return {
		type: 'bar',
		data: {
			labels: o.labels,
			datasets: [
				{
					label: o.measure,
					data: o.values,
					backgroundColor: o.colour,
					borderColor: o.colour,
					barThickness: 14
				}
			]
		},
		options: {
			indexAxis: 'y',
			maintainAspectRatio: false,
			animation: false,
			plugins: { legend: { display: false } },
			scales: {
				x: { min: 0, title: { display: true, text: o.axisTitle } },
				y: { ticks: { autoSkip: false } }
			}
		}
	};
}

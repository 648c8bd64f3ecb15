// The protocol's thresholds, the pre-dose baseline and the dose markers as annotation-plugin
// lines and boxes. Labels of different measures sit at different ends of their lines, so values
// shared by two measures (DBP ≥ 100 and HR > 100) stay readable.
import type { AnnotationOptions, LabelPosition } from 'chartjs-plugin-annotation';
import { LEVEL_COLOURS, LEVEL_FILLS, MEASURE_STYLE } from './colours';
import type { FlagLevel, VitalMeasure } from '$lib/domain/protocol/codes';
import type { ChartThreshold, SessionChartModel } from '$lib/views/session-chart';

const LABEL_AT: Record<VitalMeasure, LabelPosition> = {
	systolic: 'end',
	diastolic: 'start',
	heartRate: 'center',
	temperature: 'end'
};
const DASH: Record<FlagLevel, number[]> = { notify: [2, 3], action: [6, 4], urgent: [] };
const ABBR: Record<VitalMeasure, string> = {
	systolic: 'SBP',
	diastolic: 'DBP',
	heartRate: 'HR',
	temperature: 'Temp.'
};

type Annotations = Record<string, AnnotationOptions>;

function label(content: string, colour: string, position: LabelPosition, show: boolean) {
	return {
		display: show,
		content,
		position,
		color: colour,
		backgroundColor: 'rgba(255, 255, 255, 0.85)',
		font: { size: 10 },
		padding: 2
	};
}

/** Temperature's notify and action lines are 0.2 °C apart: move one label aside. */
function labelAt(t: ChartThreshold): LabelPosition {
	return t.measure === 'temperature' && t.level === 'notify' && t.side === 'high'
		? '60%'
		: LABEL_AT[t.measure];
}

function thresholdLine(t: ChartThreshold, labelled: boolean): AnnotationOptions {
	return {
		type: 'line',
		yMin: t.value,
		yMax: t.value,
		borderColor: LEVEL_COLOURS[t.level],
		borderWidth: t.level === 'urgent' ? 2 : 1.5,
		borderDash: DASH[t.level],
		drawTime: 'beforeDatasetsDraw',
		label: label(t.text, LEVEL_COLOURS[t.level], labelAt(t), labelled)
	};
}

/** Shaded bands of one measure: each level from its threshold to the next one (or the edge). */
function bandBoxes(thresholds: ChartThreshold[], measure: VitalMeasure, out: Annotations): void {
	for (const side of ['high', 'low'] as const) {
		const mine = thresholds
			.filter((t) => t.measure === measure && t.side === side)
			.sort((a, b) => (side === 'high' ? a.value - b.value : b.value - a.value));
		mine.forEach((t, i) => {
			const next = mine[i + 1]?.value;
			out[`band-${measure}-${side}-${t.level}`] = {
				type: 'box',
				...(side === 'high' ? { yMin: t.value, yMax: next } : { yMax: t.value, yMin: next }),
				backgroundColor: LEVEL_FILLS[t.level],
				borderWidth: 0,
				drawTime: 'beforeDatasetsDraw'
			};
		});
	}
}

export interface AnnotationChoice {
	measures: VitalMeasure[];
	/** Which measure's bands are shaded ('none': lines only). */
	boxes: VitalMeasure | 'none';
	labelled: boolean;
}

export function sessionAnnotations(
	model: SessionChartModel,
	choice: AnnotationChoice
): Annotations {
	const out: Annotations = {};
	const thresholds = model.thresholds.filter((t) => choice.measures.includes(t.measure));
	if (choice.boxes !== 'none') bandBoxes(thresholds, choice.boxes, out);
	for (const t of thresholds) {
		out[`threshold-${t.measure}-${t.side}-${t.level}`] = thresholdLine(t, choice.labelled);
	}
	for (const m of choice.measures) {
		const value = model.baseline[m];
		if (value === undefined) continue;
		const colour = MEASURE_STYLE[m].colour;
		out[`baseline-${m}`] = {
			type: 'line',
			yMin: value,
			yMax: value,
			borderColor: colour,
			borderWidth: 1.5,
			borderDash: [8, 4],
			label: label(`${ABBR[m]} baseline ${value}`, colour, '20%', choice.labelled)
		};
	}
	for (const mark of model.markers) {
		out[`marker-${mark.kind}`] = {
			type: 'line',
			xMin: mark.minutes,
			xMax: mark.minutes,
			borderColor: '#1a1f24',
			borderWidth: mark.kind === 'end' ? 1 : 2,
			borderDash: mark.kind === 'end' ? [4, 4] : [],
			label: { ...label(mark.text, '#1a1f24', 'end', choice.labelled), rotation: 0 }
		};
	}
	return out;
}

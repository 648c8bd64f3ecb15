// What the server sends to draw a dosing session's vitals: plain data, no Chart.js objects, so the
// same model serves the session chart page and the participant timeline's small multiples. Levels
// and measures are the domain's codes.

import type { FlagLevel, VitalMeasure } from '../domain/protocol/codes';

export type CardioMeasure = Exclude<VitalMeasure, 'temperature'>;

export interface ChartReading {
	id: number;
	/** Minutes from T0 (the initial dose); negative before it. */
	minutes: number;
	/** HH:mm in the site's time zone. */
	localTime: string;
	timepoint: string;
	values: Record<VitalMeasure, number | null>;
	/** The most severe flag raised on this reading for each measure (auto-closed ones left out). */
	levels: Partial<Record<VitalMeasure, FlagLevel>>;
}

export interface ChartThreshold {
	measure: VitalMeasure;
	side: 'high' | 'low';
	level: FlagLevel;
	value: number;
	/** As the protocol writes it, e.g. "SBP ≥ 160 mmHg · action". */
	text: string;
}

export interface ChartMarker {
	kind: 't0' | 'supplemental' | 'end';
	minutes: number;
	text: string;
}

export interface SessionChartModel {
	sessionId: number;
	sessionNumber: number;
	readings: ChartReading[];
	thresholds: ChartThreshold[];
	/** Per measure, the last value before T0 (DOMAIN.md §1). */
	baseline: Partial<Record<VitalMeasure, number>>;
	markers: ChartMarker[];
	/** The x axis: the schedule, every reading and the end, with a margin. */
	xRange: { min: number; max: number };
}

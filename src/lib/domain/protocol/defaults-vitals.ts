import type {
	ChangeRule,
	MeasureBands,
	MissedReadingRule,
	SupplementalGateRule,
	SustainedRule,
	VitalsBands
} from './schema-vitals-rules';

// [D] DOMAIN.md §1 default vitals rules. Each number below is a protocol setting; a sponsor's
// protocol file overrides it. Sources per band are on each line.

const SYSTOLIC: MeasureBands = {
	high: {
		notify: { op: '>=', value: 140 }, // CTCAE v5 hypertension grade 2: SBP 140–159
		action: { op: '>=', value: 160 }, // CTCAE v5 hypertension grade 3: SBP ≥ 160
		urgent: { op: '>', value: 180 } // ACC/AHA hypertensive crisis: SBP > 180
	},
	low: { notify: { op: '<', value: 90 } } // [D] hypotension, low side of the default table
};

const DIASTOLIC: MeasureBands = {
	high: {
		notify: { op: '>=', value: 90 }, // CTCAE v5 hypertension grade 2: DBP 90–99
		action: { op: '>=', value: 100 }, // CTCAE v5 hypertension grade 3: DBP ≥ 100
		urgent: { op: '>', value: 120 } // ACC/AHA hypertensive crisis: DBP > 120
	},
	low: { notify: { op: '<', value: 50 } } // [D] low side of the default table
};

const HEART_RATE: MeasureBands = {
	high: {
		notify: { op: '>', value: 100 }, // FDA toxicity grading, tachycardia grade 1: 101–115 bpm
		action: { op: '>', value: 115 }, // FDA toxicity grading, tachycardia grade 2: 116–130 bpm
		urgent: { op: '>', value: 130 } // FDA toxicity grading, tachycardia grade 3: > 130 bpm
	},
	low: { notify: { op: '<', value: 50 } } // [D] bradycardia, low side of the default table
};

const TEMPERATURE: MeasureBands = {
	high: {
		notify: { op: '>=', value: 37.8 }, // [D] below CTCAE fever; with the +1.0 °C change rule
		action: { op: '>=', value: 38.0 }, // CTCAE v5 fever grade 1: 38.0–39.0 °C
		urgent: { op: '>', value: 39.0 } // CTCAE v5 fever grade 2: > 39.0–40.0 °C
	},
	low: { notify: { op: '<', value: 35.0 } } // [D] hypothermia, low side of the default table
};

export const DEFAULT_VITALS_BANDS: VitalsBands = {
	systolic: SYSTOLIC,
	diastolic: DIASTOLIC,
	heartRate: HEART_RATE,
	temperature: TEMPERATURE
};

/** [D] DOMAIN.md §1: rises from the pre-dose baseline (the last reading before T0). */
export const DEFAULT_CHANGE_RULES: ChangeRule[] = [
	// [D] SBP +40 mmHg above baseline → action
	{ measure: 'systolic', basis: 'absolute', change: { op: '>=', value: 40 }, level: 'action' },
	// [D] HR +30 bpm above baseline → action
	{ measure: 'heartRate', basis: 'absolute', change: { op: '>=', value: 30 }, level: 'action' },
	// [D] temperature +1.0 °C above baseline → notify
	{ measure: 'temperature', basis: 'absolute', change: { op: '>=', value: 1.0 }, level: 'notify' }
];

/** [D] DOMAIN.md §1: an action-level value on 2 consecutive readings ≥ 15 min apart → urgent. */
export const DEFAULT_SUSTAINED_RULE: SustainedRule = {
	enabled: true,
	triggerLevel: 'action',
	consecutiveReadings: 2,
	minMinutesApart: 15,
	level: 'urgent'
};

/** [D] DOMAIN.md §1: a scheduled reading missing 15 min past its time → notify. */
export const DEFAULT_MISSED_READING_RULE: MissedReadingRule = {
	enabled: true,
	minutesLate: 15,
	level: 'notify'
};

/** [D] DOMAIN.md §1: an action-level reading before the supplemental dose → hold it. */
export const DEFAULT_SUPPLEMENTAL_GATE: SupplementalGateRule = {
	enabled: true,
	holdAtLevel: 'action'
};

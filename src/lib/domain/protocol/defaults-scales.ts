import type { ScalesSettings } from './schema-scales';

/** [S] MADRS change from baseline is the primary endpoint in MDD trials (Oslo protocol 2022). */
export const DEFAULT_PRIMARY_SCALE = 'MADRS';

/** [S/D] DOMAIN.md §2 remission thresholds on the total. */
export const DEFAULT_REMISSION: ScalesSettings['remission'] = {
	MADRS: { op: '<=', value: 10 }, // MADRS ≤ 10 (a protocol may choose ≤ 12)
	HAMD17: { op: '<=', value: 7 }, // HAM-D17 ≤ 7
	PHQ9: { op: '<', value: 5 }, // PHQ-9 < 5
	QIDSSR16: { op: '<=', value: 5 }, // QIDS-SR16 ≤ 5
	BDI2: { op: '<=', value: 13 } // BDI-II ≤ 13, the top of "minimal"
};

export const DEFAULT_SCALES_SETTINGS: ScalesSettings = {
	primary: DEFAULT_PRIMARY_SCALE,
	remission: DEFAULT_REMISSION,
	responsePercentBelowBaseline: 50, // [S] response = total ≥ 50 % below baseline
	sustainedRemissionVisits: 2 // [D] remission at two consecutive follow-up visits
};

// What the server sends for a participant's safety timeline: adverse events laid out on a time
// axis (positions already in percent), and each scale's totals against its baseline.
import type { FlagLevel } from '../domain/protocol/codes';

export interface AeBar {
	id: number;
	term: string;
	/** CTCAE grade 1–5; mild, moderate, severe count as 1, 2, 3. */
	grade: number;
	severityLabel: string;
	serious: boolean;
	onset: string;
	/** null while ongoing (drawn up to now). */
	end: string | null;
	relatedness: string;
	outcome: string;
	/** Position on the axis, percent of its width. */
	left: number;
	width: number;
}

export interface AxisMark {
	/** Percent of the axis width. */
	at: number;
	label: string;
}

export interface AeTimelineModel {
	from: string;
	to: string;
	bars: AeBar[];
	ticks: AxisMark[];
	/** Dosing sessions (T0) on the same axis. */
	doses: AxisMark[];
}

export interface ScalePoint {
	/** The visit code, else the local date. */
	label: string;
	date: string;
	total: number | null;
	percentChange: number | null;
	response: boolean | null;
	remission: boolean | null;
	/** On the relapse scale's chart: what this assessment marks ("Response; Remission"), else ''. */
	outcome?: string;
}

/** Response, remission, sustained remission and relapse as the protocol defines them. */
export const OUTCOME_KINDS = ['response', 'remission', 'sustained-remission', 'relapse'] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];
export const OUTCOME_LABELS: Record<OutcomeKind, string> = {
	response: 'Response',
	remission: 'Remission',
	'sustained-remission': 'Sustained remission',
	relapse: 'Relapse'
};

export interface DurabilityMarker {
	kind: OutcomeKind;
	label: string;
	/** The local date of the assessment (or of the event's onset). */
	date: string;
	/** Why, in words: the total and the rule, or the event. */
	detail: string;
	/** False for a relapse by event (hospitalisation, attempt): no assessment to mark. */
	onChart: boolean;
}

/** The relapse scale's durability (DOMAIN-2.md §6), from the same detection as the cohort curve. */
export interface DurabilityModel {
	rule: string;
	markers: DurabilityMarker[];
	/** From first remission to relapse, or to the last relapse-free assessment; null if none. */
	followUp: string | null;
}

export interface ScaleChartModel {
	instrument: string;
	label: string;
	maxTotal: number;
	baseline: number | null;
	/** Totals at or below this are a response (e.g. 50 % below baseline). */
	responseLine: number | null;
	responsePercent: number;
	remission: { value: number; text: string };
	points: ScalePoint[];
	/** Only on the protocol's relapse scale, once the participant has been dosed. */
	durability?: DurabilityModel | null;
}

export interface TimelineFlag {
	id: number;
	level: FlagLevel;
	status: string;
	message: string;
	raisedAt: string;
}

export interface TimelineSignature {
	record: string;
	href: string;
	meaning: string;
	signer: string;
	signedAt: string;
	status: 'valid' | 'void';
}

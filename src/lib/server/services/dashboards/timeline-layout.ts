// Lays out a participant's safety timeline for drawing: adverse events on one time axis (percent
// positions), and a scale's series with its baseline, response and remission lines. Pure.
import {
	OUTCOME_LABELS,
	type AeBar,
	type AeTimelineModel,
	type AxisMark,
	type DurabilityMarker,
	type DurabilityModel,
	type ScaleChartModel
} from '../../../views/timeline';
import type { OutcomeMarker, RelapseOutcome } from '../../../domain/relapse';
import { outcomeLabel, relatednessLabel, type Severity } from '../../../domain/adverse-events';
import { describeComparison, type Protocol } from '../../../domain/protocol';
import { numericInstrument, type NumericScaleId } from '../../../domain/scales';
import { formatLocal } from '../../../domain/time';
import type { AdverseEventView } from '../capture/adverse-event-mapping';
import type { ScaleSeries } from './scale-series';
import { SCALE_LABELS } from '../../../domain/scales';

const INTENSITY_GRADE = { mild: 1, moderate: 2, severe: 3 } as const;
const TICKS = 5;
const MIN_WIDTH = 0.6;

function gradeOf(s: Severity): number {
	return s.scale === 'ctcae' ? s.grade : INTENSITY_GRADE[s.intensity];
}

const dateOf = (ms: number, tz: string) => formatLocal(new Date(ms), tz).slice(0, 10);
/** Ticks of a short axis (up to three days) need the time of day too: 'MM-DD HH:mm'. */
const tickOf = (ms: number, span: number, tz: string) =>
	span <= 3 * 86_400_000 ? formatLocal(new Date(ms), tz).slice(5) : dateOf(ms, tz);

/** Adverse events from onset to end (ongoing ones to now), with the dosing sessions' T0. */
export function aeTimeline(
	aes: AdverseEventView[],
	doses: Array<{ number: number; t0: string }>,
	tz: string,
	now: Date
): AeTimelineModel {
	const starts = [...aes.map((a) => Date.parse(a.onsetAt)), ...doses.map((d) => Date.parse(d.t0))];
	const ends = aes.map((a) => (a.endAt ? Date.parse(a.endAt) : now.getTime()));
	const first = Math.min(...starts, now.getTime());
	const last = Math.max(...ends, now.getTime());
	const pad = Math.max((last - first) * 0.02, 3_600_000);
	const from = first - pad;
	const span = last + pad - from;
	const at = (ms: number) => Math.round(((ms - from) / span) * 1000) / 10;
	const bars: AeBar[] = aes.map((a, i) => {
		const left = at(Date.parse(a.onsetAt));
		return {
			id: a.id,
			term: a.codedTerm ?? a.verbatimTerm,
			grade: gradeOf(a.severity),
			severityLabel: a.severityLabel,
			serious: a.serious,
			onset: formatLocal(a.onsetAt, tz),
			end: a.endAt ? formatLocal(a.endAt, tz) : null,
			relatedness: relatednessLabel[a.relatedness],
			outcome: outcomeLabel[a.outcome],
			left,
			width: Math.max(at(ends[i]!) - left, MIN_WIDTH)
		};
	});
	const ticks: AxisMark[] = Array.from({ length: TICKS }, (_, i) => {
		const ms = from + (span * i) / (TICKS - 1);
		return { at: at(ms), label: tickOf(ms, span, tz) };
	});
	return {
		from: dateOf(from, tz),
		to: dateOf(from + span, tz),
		bars,
		ticks,
		doses: doses.map((d) => ({ at: at(Date.parse(d.t0)), label: `Session ${d.number}` }))
	};
}

/** The last assessment on a marker's day (relapse detection reads assessments by their day). */
function pointOf(series: ScaleSeries, m: OutcomeMarker) {
	return series.points
		.filter((p) => p.total !== null && p.administeredAt.slice(0, 10) === m.date)
		.at(-1);
}

function markerDetail(m: OutcomeMarker, series: ScaleSeries, protocol: Protocol): string {
	const scale = SCALE_LABELS[series.instrument];
	const remission = describeComparison(protocol.scales.remission[series.instrument]);
	switch (m.kind) {
		case 'response':
			return `${scale} ${m.total}: at least ${protocol.scales.responsePercentBelowBaseline} % below baseline ${series.baseline}`;
		case 'remission':
			return `${scale} ${m.total}: first remission (${remission})`;
		case 'sustained-remission':
			return `${scale} ${m.total}: remission (${remission}) held at ${protocol.scales.sustainedRemissionVisits} consecutive assessments`;
		case 'relapse':
			return `Relapse: ${m.reason}`;
	}
}

/** The participant's outcome markers, placed on their assessments, and the follow-up in words. */
export function durabilityOf(
	outcome: RelapseOutcome,
	series: ScaleSeries,
	protocol: Protocol,
	rule: string,
	tz: string
): DurabilityModel {
	const markers: DurabilityMarker[] = outcome.markers.map((m) => {
		const point = pointOf(series, m);
		return {
			kind: m.kind,
			label: OUTCOME_LABELS[m.kind],
			date: point ? formatLocal(point.administeredAt, tz).slice(0, 10) : m.date,
			detail: markerDetail(m, series, protocol),
			onChart: point !== undefined
		};
	});
	const s = outcome.survival;
	const followUp = !s
		? null
		: s.event
			? `Relapse ${s.days} days (${Math.round((s.days / 7) * 10) / 10} weeks) after first remission on ${s.origin}.`
			: `No relapse in ${s.days} days (${Math.round((s.days / 7) * 10) / 10} weeks) after first remission on ${s.origin}: censored at the last relapse-free assessment.`;
	return { rule, markers, followUp };
}

/** One instrument's totals with the lines the protocol measures them by. */
export function scaleChart(
	series: ScaleSeries,
	protocol: Protocol,
	tz: string,
	durability: { outcome: RelapseOutcome; rule: string } | null = null
): ScaleChartModel {
	const id = series.instrument as NumericScaleId;
	const percent = protocol.scales.responsePercentBelowBaseline;
	const remission = protocol.scales.remission[id];
	const baseline = series.baseline;
	const onPoint = new Map<number, string[]>();
	for (const m of durability?.outcome.markers ?? []) {
		const point = pointOf(series, m);
		if (point) {
			onPoint.set(point.administrationId, [
				...(onPoint.get(point.administrationId) ?? []),
				OUTCOME_LABELS[m.kind]
			]);
		}
	}
	return {
		instrument: id,
		label: SCALE_LABELS[id],
		maxTotal: numericInstrument(id).totalRange.max,
		baseline,
		responseLine: baseline ? (baseline * (100 - percent)) / 100 : null,
		responsePercent: percent,
		remission: { value: remission.value, text: `Remission ${describeComparison(remission)}` },
		points: series.points.map((p) => ({
			label: p.visitCode ?? dateOf(Date.parse(p.administeredAt), tz),
			date: formatLocal(p.administeredAt, tz),
			total: p.total,
			percentChange: p.percentChange === null ? null : Math.round(p.percentChange),
			response: p.response,
			remission: p.remission,
			...(durability ? { outcome: (onPoint.get(p.administrationId) ?? []).join('; ') } : {})
		})),
		durability: durability
			? durabilityOf(durability.outcome, series, protocol, durability.rule, tz)
			: null
	};
}

// A dosing session's vitals as chart data: minutes from T0, the protocol's thresholds, the
// per-measure baseline, the dose markers and the flag level of each reading and measure.
import type {
	ChartMarker,
	ChartReading,
	ChartThreshold,
	SessionChartModel
} from '../../../views/session-chart';
import { toLocalClock } from '../../../domain/time';
import {
	describeComparison,
	type FlagLevel,
	type VitalMeasure,
	FLAG_LEVELS,
	VITAL_MEASURES,
	VITAL_UNITS
} from '../../../domain/protocol';
import type { VitalsBands } from '../../../domain/protocol/schema-vitals-rules';
import { lastValuesBefore, measuresOf, minutesFromT0 } from '../../../domain/vitals';
import type { ServiceContext } from '../../runtime/context';
import type { DosingSession, VitalReading } from '../../db/schema';
import * as repo from '../../repositories/dosing-sessions';
import { sessionFingerprint } from '../../repositories/session-readings';
import { loadSession, type SessionContext } from '../capture/dosing-sessions';
import { listFlags, type FlagView } from '../safety/flags';
import { toDomainReading } from '../capture/vital-readings';

const ABBR: Record<VitalMeasure, string> = {
	systolic: 'SBP',
	diastolic: 'DBP',
	heartRate: 'HR',
	temperature: 'Temp.'
};
const RANK: Record<FlagLevel, number> = { notify: 1, action: 2, urgent: 3 };

export function thresholdsOf(bands: VitalsBands): ChartThreshold[] {
	const out: ChartThreshold[] = [];
	for (const measure of VITAL_MEASURES) {
		for (const side of ['high', 'low'] as const) {
			for (const level of FLAG_LEVELS) {
				const t = bands[measure][side][level];
				if (!t) continue;
				const text = `${ABBR[measure]} ${describeComparison(t, VITAL_UNITS[measure])} · ${level}`;
				out.push({ measure, side, level, value: t.value, text });
			}
		}
	}
	return out;
}

/** Per reading and measure, the most severe flag that still stands (auto-closed ones went away). */
function levelsByReading(flags: FlagView[]): Map<number, Partial<Record<VitalMeasure, FlagLevel>>> {
	const out = new Map<number, Partial<Record<VitalMeasure, FlagLevel>>>();
	for (const f of flags) {
		if (f.sourceType !== 'vital_reading' || f.autoClosed) continue;
		const measure = f.values.measure as VitalMeasure | undefined;
		if (!measure || !VITAL_MEASURES.includes(measure)) continue;
		const levels = out.get(f.sourceId) ?? {};
		const now = levels[measure];
		if (!now || RANK[f.level] > RANK[now]) levels[measure] = f.level;
		out.set(f.sourceId, levels);
	}
	return out;
}

function markers(session: DosingSession): ChartMarker[] {
	const out: ChartMarker[] = [
		{ kind: 't0', minutes: 0, text: `T0 · ${session.initial_dose_mg} mg` }
	];
	if (session.supplemental_at) {
		out.push({
			kind: 'supplemental',
			minutes: Math.round(minutesFromT0(session.t0, session.supplemental_at)),
			text: `Supplemental · ${session.supplemental_dose_mg ?? '?'} mg`
		});
	}
	if (session.ended_at) {
		out.push({
			kind: 'end',
			minutes: Math.round(minutesFromT0(session.t0, session.ended_at)),
			text: 'End'
		});
	}
	return out;
}

function chartReading(
	r: VitalReading,
	s: SessionContext,
	levels: Map<number, Partial<Record<VitalMeasure, FlagLevel>>>
): ChartReading {
	return {
		id: r.id,
		minutes: Math.round(minutesFromT0(s.session.t0, r.measured_at)),
		localTime: toLocalClock(r.measured_at, s.site.timezone),
		timepoint: r.timepoint_label === 'UNSCHEDULED' ? 'Recheck' : r.timepoint_label,
		values: measuresOf(r),
		levels: levels.get(r.id) ?? {}
	};
}

function xRange(s: SessionContext, readings: ChartReading[], marks: ChartMarker[]) {
	const scheduled = s.protocol.dosingSession.vitalsTimepoints
		.map((t) => t.minutes)
		.filter((m): m is number => typeof m === 'number');
	const all = [0, ...scheduled, ...readings.map((r) => r.minutes), ...marks.map((m) => m.minutes)];
	// Whole half-hours at both ends, so the 30-minute ticks fall on the schedule's times.
	return {
		min: Math.floor((Math.min(...all) - 10) / 30) * 30,
		max: Math.ceil((Math.max(...all) + 10) / 30) * 30
	};
}

export interface SessionChart {
	context: SessionContext;
	model: SessionChartModel;
	/** Taken before the data: a live channel given it sends at once if anything changed since. */
	fingerprint: string;
}

/** The chart of one session, after the read check; entered-in-error readings are not plotted. */
export async function sessionChart(ctx: ServiceContext, id: number): Promise<SessionChart> {
	const s = await loadSession(ctx, id);
	const fingerprint = await sessionFingerprint(ctx.db, id);
	const [rows, flags] = await Promise.all([
		repo.listReadings(ctx.db, id, false),
		listFlags(ctx, { sessionId: id })
	]);
	const timepoints = s.protocol.dosingSession.vitalsTimepoints;
	const levels = levelsByReading(flags);
	const readings = rows.map((r) => chartReading(r, s, levels));
	const marks = markers(s.session);
	const model: SessionChartModel = {
		sessionId: id,
		sessionNumber: s.session.session_number,
		readings,
		thresholds: thresholdsOf(s.protocol.safetyRules.vitals),
		baseline: lastValuesBefore(
			rows.map((r) => toDomainReading(r, timepoints)),
			s.session.t0
		),
		markers: marks,
		xRange: xRange(s, readings, marks)
	};
	return { context: s, model, fingerprint };
}

/** For a live channel: the read check once, then a fingerprint that changes with the chart. */
export async function watchSession(
	ctx: ServiceContext,
	id: number
): Promise<{ siteId: number; fingerprint: () => Promise<string> }> {
	const { session } = await loadSession(ctx, id);
	return { siteId: session.site_id, fingerprint: () => sessionFingerprint(ctx.db, id) };
}

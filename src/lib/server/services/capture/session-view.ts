// What the session page shows: the session, its schedule of readings and their state.
import { dueReadings, latenessText, pickBaseline, readingLateness } from '../../../domain/vitals';
import { supplementalHold } from '../../../domain/safety';
import { listFlags } from '../safety/flags';
import type { ServiceContext } from '../../runtime/context';
import type { VitalReading } from '../../db/schema';
import * as repo from '../../repositories/dosing-sessions';
import { loadSession } from './dosing-sessions';
import { toDomainReading } from './vital-readings';

export interface SessionRow {
	/** Minutes from T0, 'end', or 'unscheduled'. */
	key: string;
	label: string;
	scheduledAt: string | null;
	status: string;
	minutesLate: number;
	measurements: string[];
	reading: VitalReading | null;
	/** How late the saved reading was against its planned time ("21 min late", "on time"). */
	lateness: { minutes: number; onTime: boolean; text: string } | null;
}

export async function sessionView(ctx: ServiceContext, id: number) {
	const s = await loadSession(ctx, id);
	const readings = await repo.listReadings(ctx.db, id, true);
	const timepoints = s.protocol.dosingSession.vitalsTimepoints;
	const domain = readings.map((r) => toDomainReading(r, timepoints));
	const due = dueReadings(timepoints, s.session.t0, s.session.ended_at, domain, ctx.now());
	const live = readings.filter((r) => !r.entered_in_error_at);
	const tolerance = s.protocol.safetyRules.missedReading.minutesLate;
	const rows: SessionRow[] = due.map((d) => {
		const reading = live.find((r) => r.timepoint_label === d.timepoint.vstpt) ?? null;
		const late =
			reading && d.scheduledAt && reading.not_done_reason === null
				? readingLateness(d.scheduledAt, reading.measured_at, tolerance)
				: null;
		return {
			key: String(d.timepoint.minutes),
			label: d.timepoint.vstpt,
			scheduledAt: d.scheduledAt?.toISOString() ?? null,
			status: d.status,
			minutesLate: d.minutesLate,
			measurements: d.timepoint.measurements,
			reading,
			lateness: late ? { ...late, text: latenessText(late) } : null
		};
	});
	const baseline = pickBaseline(domain, s.session.t0);
	const flags = await listFlags(ctx, { sessionId: id });
	// While the supplemental dose is still to come, say whether the protocol holds it.
	const hold =
		s.session.supplemental_at || s.session.supplemental_not_given_reason
			? []
			: supplementalHold(
					{ t0: s.session.t0, readings: domain },
					s.protocol.safetyRules,
					ctx.now()
				).map((h) => h.message);
	return {
		flags,
		hold,
		...s,
		rows,
		unscheduled: live.filter((r) => r.timepoint_label === 'UNSCHEDULED'),
		enteredInError: readings.filter((r) => r.entered_in_error_at),
		baselineId: baseline?.id ?? null,
		/** The readings as the safety rules see them (the device runs them on queued readings). */
		ruleReadings: domain
	};
}

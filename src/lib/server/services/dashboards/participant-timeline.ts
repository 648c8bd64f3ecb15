// A participant's safety report: every dosing session's vitals, adverse events on a time axis, each
// scale's totals against baseline, open flags and signatures. Read check first (getParticipant).
import type { SessionChartModel } from '../../../views/session-chart';
import type {
	AeTimelineModel,
	ScaleChartModel,
	TimelineFlag,
	TimelineSignature
} from '../../../views/timeline';
import { isNumericScaleId } from '../../../domain/scales';
import { formatLocal } from '../../../domain/time';
import { readsOf } from '../../reads/executor';
import { readFor, type ServiceContext } from '../../runtime/context';
import type { DosingSession, Participant, Site } from '../../db/schema';
import { listAdverseEvents, type AdverseEventView } from '../capture/adverse-events';
import { listDosingSessions } from '../capture/dosing-sessions';
import { listFlags } from '../safety/flags';
import { getParticipant } from '../capture/participants';
import {
	listScaleAdministrations,
	scaleSeries,
	type ScaleAdministrationView
} from '../capture/scales';
import { sessionChart } from './session-chart';
import { signaturesForRecords, type SignableType } from '../signatures/signatures';
import { getSite } from '../people/sites';
import { activeProtocol } from '../protocol/studies';
import { aeTimeline, scaleChart } from './timeline-layout';
import { relapseOutcomeOf, relapseRule } from './relapse-survival';

export interface ParticipantTimeline {
	participant: Participant;
	site: Site;
	sessions: Array<{ id: number; number: number; t0: string; model: SessionChartModel }>;
	adverseEvents: AeTimelineModel;
	scales: ScaleChartModel[];
	flags: TimelineFlag[];
	signatures: TimelineSignature[];
}

/** Small multiples share one x axis, so sessions compare at a glance. */
function shareAxis(models: SessionChartModel[]): void {
	if (models.length === 0) return;
	const min = Math.min(...models.map((m) => m.xRange.min));
	const max = Math.max(...models.map((m) => m.xRange.max));
	for (const m of models) m.xRange = { min, max };
}

async function signaturesOf(
	ctx: ServiceContext,
	tz: string,
	records: Array<{ type: SignableType; id: number; record: string; href: string }>
): Promise<TimelineSignature[]> {
	// One query per record type, not two per record (a participant has dozens of records).
	const types = [...new Set(records.map((r) => r.type))];
	const byType = new Map(
		await Promise.all(
			types.map(
				async (type) =>
					[
						type,
						await signaturesForRecords(
							ctx.db,
							type,
							records.filter((r) => r.type === type).map((r) => r.id)
						)
					] as const
			)
		)
	);
	return records.flatMap((r) =>
		(byType.get(r.type)?.get(r.id) ?? []).map((s) => ({
			record: r.record,
			href: r.href,
			meaning: s.meaningLabel,
			signer: s.signerName,
			signedAt: formatLocal(s.signedAt, tz),
			status: s.status
		}))
	);
}

function signableRecords(
	sessions: DosingSession[],
	aes: AdverseEventView[],
	scales: ScaleAdministrationView[]
) {
	return [
		...sessions.map((s) => ({
			type: 'dosing_session' as const,
			id: s.id,
			record: `Dosing session ${s.session_number}`,
			href: `/sessions/${s.id}`
		})),
		...aes.map((a) => ({
			type: 'adverse_event' as const,
			id: a.id,
			record: `Adverse event: ${a.codedTerm ?? a.verbatimTerm}`,
			href: `/adverse-events/${a.id}`
		})),
		...scales.map((s) => ({
			type: 'scale_administration' as const,
			id: s.id,
			record: `${s.instrumentLabel}${s.visitCode ? ` at ${s.visitCode}` : ''}`,
			href: `/scales/${s.id}`
		}))
	];
}

async function scaleCharts(ctx: ServiceContext, p: Participant, tz: string, given: string[]) {
	const { protocol } = await activeProtocol(ctx.db, p.study_id);
	const instruments = [...new Set(given)].filter(isNumericScaleId);
	const series = await Promise.all(instruments.map((i) => scaleSeries(ctx, p.id, i)));
	// Response, remission, sustained remission and relapse on the relapse scale's chart: the same
	// detection as the cohort's time-to-relapse curve (relapse-survival.ts), not a second one.
	const outcome = instruments.includes(protocol.relapse.scale)
		? await relapseOutcomeOf(ctx, p, protocol)
		: null;
	const durability = outcome ? { outcome, rule: relapseRule(protocol.relapse) } : null;
	return series.map((s) =>
		scaleChart(s, protocol, tz, s.instrument === protocol.relapse.scale ? durability : null)
	);
}

/**
 * A participant's timeline: the read check here, on the request thread; every read of the report
 * in one read job (a read worker beside SQLite, the read pool on PostgreSQL), in one snapshot.
 */
export async function participantTimeline(
	ctx: ServiceContext,
	id: number
): Promise<ParticipantTimeline> {
	const participant = await getParticipant(ctx, id);
	return readsOf(ctx).value('participantTimeline', { for: readFor(ctx), participant });
}

/** The timeline's reads, after participantTimeline's check (a read job). */
export async function participantTimelineReads(
	ctx: ServiceContext,
	participant: Participant
): Promise<ParticipantTimeline> {
	const id = participant.id;
	const [site, sessions, aes, scales, flags] = await Promise.all([
		getSite(ctx, participant.site_id),
		listDosingSessions(ctx, id),
		listAdverseEvents(ctx, id),
		listScaleAdministrations(ctx, id),
		listFlags(ctx, { participantId: id, open: true })
	]);
	const tz = site.timezone;
	const charts = await Promise.all(sessions.map((s) => sessionChart(ctx, s.id)));
	shareAxis(charts.map((c) => c.model));
	const doses = sessions.map((s) => ({ number: s.session_number, t0: s.t0 }));
	return {
		participant,
		site,
		sessions: sessions.map((s, i) => ({
			id: s.id,
			number: s.session_number,
			t0: formatLocal(s.t0, tz),
			model: charts[i]!.model
		})),
		adverseEvents: aeTimeline(aes, doses, tz, ctx.now()),
		scales: await scaleCharts(
			ctx,
			participant,
			tz,
			scales.map((s) => s.instrument)
		),
		flags: flags.map((f) => ({
			id: f.id,
			level: f.level,
			status: f.status,
			message: f.message,
			raisedAt: formatLocal(f.raisedAt, tz)
		})),
		signatures: await signaturesOf(ctx, tz, signableRecords(sessions, aes, scales))
	};
}

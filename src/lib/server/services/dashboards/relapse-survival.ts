// Time to relapse after first remission (DOMAIN-2.md §6) for the cohort page: each participant's
// outcome from their relapse-scale totals after the first dose (relapse per the protocol's
// `relapse` section; an adverse event named in `relapse.eventTerms` counts on its onset day), then
// Kaplan–Meier in weeks from first remission, censored at the last relapse-free assessment.
// Overall always; by arm only for a viewer who may know arms (unblinded role, or after lock).
import {
	relapseOutcome,
	type Assessment,
	type RelapseOutcome,
	type RelapseSettings
} from '../../../domain/relapse';
import type { Protocol } from '../../../domain/protocol';
import type { Participant } from '../../db/schema';
import { kaplanMeier, kaplanMeierOfTallies, type SurvivalCurve } from '../../../domain/statistics';
import * as repo from '../../repositories/relapse';
import * as outcomesRepo from '../../repositories/relapse-outcomes';
import type { Executor } from '../../db';
import type { DashboardScope } from '../../repositories/cohort';
import { readsOf } from '../../reads/executor';
import type { ServiceContext } from '../../runtime/context';
import { armsForUnblinded, mayKnowArmsNow } from '../trial/pharmacy';
import { dashboardContext, type DashboardContext, type DashboardFilters } from './cohort';

export interface RelapseCurve {
	group: string;
	curve: SurvivalCurve;
}

export interface RelapseSurvival {
	scale: string;
	rule: string;
	/** Participants with a remission (the curve's n), and those who never remitted. */
	remitted: number;
	neverRemitted: number;
	curves: RelapseCurve[];
	byArm: boolean;
}

const isoDay = (iso: string) => iso.slice(0, 10);

/** What relapse detection reads for one participant (the cohort's rows, filtered to them). */
export interface RelapseSources {
	firstDoseAt: string;
	/** The relapse scale's complete totals, any order. */
	totals: ReadonlyArray<{ administered_at: string; total: number | null }>;
	/** Onsets of adverse events named in `relapse.eventTerms`. */
	eventOnsets: readonly string[];
}

/**
 * Response, remission, sustained remission and relapse of one participant by the protocol's
 * settings: the one place both the cohort's curve and the participant timeline get them from.
 */
export function participantRelapseOutcome(protocol: Protocol, src: RelapseSources): RelapseOutcome {
	const settings = protocol.relapse;
	const before = src.totals.filter((t) => t.administered_at <= src.firstDoseAt);
	const after: Assessment[] = src.totals
		.filter((t) => t.administered_at > src.firstDoseAt && t.total !== null)
		.map((t) => ({ date: isoDay(t.administered_at), total: t.total! }));
	return relapseOutcome({
		baseline: before.at(-1)?.total ?? null,
		assessments: after,
		relapseEvents: src.eventOnsets.map(isoDay),
		censorAt: null,
		remission: protocol.scales.remission[settings.scale],
		responsePercentBelowBaseline: protocol.scales.responsePercentBelowBaseline,
		sustainedRemissionVisits: protocol.scales.sustainedRemissionVisits,
		relapse: settings
	});
}

/** The protocol's relapse rule in words. */
export function relapseRule(settings: RelapseSettings): string {
	const op = settings.threshold.op === '>=' ? '≥' : settings.threshold.op;
	return (
		`${settings.scale} ${op} ${settings.threshold.value} at ${settings.consecutive} consecutive ` +
		`assessments ${settings.minDaysApart}–${settings.maxDaysApart} days apart, or ` +
		(settings.eventTerms.join(' or ') || 'no event')
	);
}

/** One participant's outcome, for their timeline (null before their first dose). */
export async function relapseOutcomeOf(
	ctx: ServiceContext,
	p: Participant,
	protocol: Protocol
): Promise<RelapseOutcome | null> {
	const scope = { studyId: p.study_id, siteIds: [p.site_id], doseGroup: null };
	const settings = protocol.relapse;
	const [doses, totals, events] = await Promise.all([
		repo.firstDoses(ctx.db, scope, p.id),
		repo.scaleTotals(ctx.db, scope, settings.scale, p.id),
		repo.eventOnsets(ctx.db, scope, settings.eventTerms, p.id)
	]);
	const firstDoseAt = doses[0]?.first_dose_at;
	if (!firstDoseAt) return null;
	return participantRelapseOutcome(protocol, {
		firstDoseAt,
		totals,
		eventOnsets: events.map((e) => e.onset_at)
	});
}

function groupBy<T, K>(rows: readonly T[], key: (row: T) => K): Map<K, T[]> {
	const groups = new Map<K, T[]>();
	for (const row of rows) {
		const k = key(row);
		const group = groups.get(k);
		if (group) group.push(row);
		else groups.set(k, [row]);
	}
	return groups;
}

/** A dosed participant's time to relapse in weeks (null: never remitted) and its end. */
export interface RelapseObservation {
	participantId: number;
	weeks: number | null;
	event: boolean;
}

/**
 * Each dosed participant's outcome in scope (or one participant's), from their relapse-scale
 * totals and event onsets by the protocol's settings: what relapse_outcome stores.
 */
export async function relapseObservations(
	db: Executor,
	scope: DashboardScope,
	protocol: Protocol,
	participantId?: number
): Promise<RelapseObservation[]> {
	const settings = protocol.relapse;
	const [doses, totals, events] = await Promise.all([
		repo.firstDoses(db, scope, participantId),
		repo.scaleTotals(db, scope, settings.scale, participantId),
		repo.eventOnsets(db, scope, settings.eventTerms, participantId)
	]);
	// Each participant's rows, gathered in one pass (in the rows' order): filtering every row for
	// every participant took the event loop for a second at 2,000 participants.
	const totalsOf = groupBy(totals, (t) => t.participant_id);
	const onsetsOf = groupBy(events, (e) => e.participant_id);
	return doses.map((d) => {
		const outcome = participantRelapseOutcome(protocol, {
			firstDoseAt: d.first_dose_at,
			totals: totalsOf.get(d.participant_id) ?? [],
			eventOnsets: (onsetsOf.get(d.participant_id) ?? []).map((e) => e.onset_at)
		});
		return {
			participantId: d.participant_id,
			weeks: outcome.survival ? outcome.survival.days / 7 : null,
			event: outcome.survival?.event ?? false
		};
	});
}

/** `known`: the page's dashboard context when it has one already (the cohort page's). */
export async function relapseSurvival(
	ctx: ServiceContext,
	f: DashboardFilters,
	known?: DashboardContext
): Promise<RelapseSurvival | null> {
	const context = known ?? (await dashboardContext(ctx, f));
	if (!context) return null;
	const { protocol, scope, study } = context;
	const settings = protocol.relapse;
	const byArm = await mayKnowArmsNow(ctx, study.id);
	if (!byArm) {
		// One curve: the outcomes counted by time in SQL, not a row per participant (at the trial
		// tier 25,500 rows and 16 ms of CPU a view, against a few dozen rows).
		const tallies = await outcomesRepo.outcomeTallies(readsOf(ctx).db, scope);
		const remitted = tallies.filter((t) => t.weeks !== null);
		const curve = kaplanMeierOfTallies(remitted.map((t) => ({ ...t, time: t.weeks! })));
		return {
			scale: settings.scale,
			rule: relapseRule(settings),
			remitted: curve.n,
			neverRemitted: tallies.reduce((a, t) => a + (t.weeks === null ? t.count : 0), 0),
			curves: [{ group: 'All participants', curve }],
			byArm
		};
	}
	// The outcomes each write keeps under the active protocol (relapse-outcomes.ts).
	const rows = await outcomesRepo.storedOutcomes(readsOf(ctx).db, scope);
	const observations: Array<{ participantId: number; time: number; event: boolean }> = [];
	let neverRemitted = 0;
	for (const r of rows) {
		if (r.weeks === null) neverRemitted++;
		else {
			observations.push({
				participantId: r.participant_id,
				time: Number(r.weeks),
				event: Number(r.event) === 1
			});
		}
	}
	const curves: RelapseCurve[] = [{ group: 'All participants', curve: kaplanMeier(observations) }];
	if (observations.length > 0) {
		const arms = await armsForUnblinded(ctx, study.id);
		for (const arm of protocol.randomisation.arms) {
			const mine = observations.filter((o) => arms.get(o.participantId) === arm.code);
			if (mine.length > 0) curves.push({ group: arm.label, curve: kaplanMeier(mine) });
		}
	}
	return {
		scale: settings.scale,
		rule: relapseRule(settings),
		remitted: observations.length,
		neverRemitted,
		curves,
		byArm
	};
}

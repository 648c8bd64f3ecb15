// Time to relapse after first remission (DOMAIN-2.md §6) for the cohort page: each participant's
// outcome from their relapse-scale totals after the first dose (relapse per the protocol's
// `relapse` section; an adverse event named in `relapse.eventTerms` counts on its onset day), then
// Kaplan–Meier in weeks from first remission, censored at the last relapse-free assessment.
// Overall always; by arm only for a viewer who may know arms (unblinded role, or after lock).
import { relapseOutcome, type Assessment } from '../../../domain/relapse';
import { kaplanMeier, type SurvivalCurve } from '../../../domain/statistics';
import * as repo from '../../repositories/relapse';
import type { ServiceContext } from '../../runtime/context';
import { armsForUnblinded, mayKnowArmsNow } from '../trial/pharmacy';
import { dashboardContext, type DashboardFilters } from './cohort';

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

export async function relapseSurvival(
	ctx: ServiceContext,
	f: DashboardFilters
): Promise<RelapseSurvival | null> {
	const context = await dashboardContext(ctx, f);
	if (!context) return null;
	const { protocol, scope, study } = context;
	const settings = protocol.relapse;
	const [doses, totals, events] = await Promise.all([
		repo.firstDoses(ctx.db, scope),
		repo.scaleTotals(ctx.db, scope, settings.scale),
		repo.eventOnsets(ctx.db, scope, settings.eventTerms)
	]);
	const observations: Array<{ participantId: number; time: number; event: boolean }> = [];
	let neverRemitted = 0;
	for (const d of doses) {
		const own = totals.filter((t) => t.participant_id === d.participant_id);
		const before = own.filter((t) => t.administered_at <= d.first_dose_at);
		const after: Assessment[] = own
			.filter((t) => t.administered_at > d.first_dose_at)
			.map((t) => ({ date: isoDay(t.administered_at), total: t.total! }));
		const outcome = relapseOutcome({
			baseline: before.at(-1)?.total ?? null,
			assessments: after,
			relapseEvents: events
				.filter((e) => e.participant_id === d.participant_id)
				.map((e) => isoDay(e.onset_at)),
			censorAt: null,
			remission: protocol.scales.remission[settings.scale],
			responsePercentBelowBaseline: protocol.scales.responsePercentBelowBaseline,
			sustainedRemissionVisits: protocol.scales.sustainedRemissionVisits,
			relapse: settings
		});
		if (!outcome.survival) {
			neverRemitted++;
			continue;
		}
		observations.push({
			participantId: d.participant_id,
			time: outcome.survival.days / 7,
			event: outcome.survival.event
		});
	}
	const byArm = await mayKnowArmsNow(ctx, study.id);
	const curves: RelapseCurve[] = [{ group: 'All participants', curve: kaplanMeier(observations) }];
	if (byArm && observations.length > 0) {
		const arms = await armsForUnblinded(ctx, study.id);
		for (const arm of protocol.randomisation.arms) {
			const mine = observations.filter((o) => arms.get(o.participantId) === arm.code);
			if (mine.length > 0) curves.push({ group: arm.label, curve: kaplanMeier(mine) });
		}
	}
	const op = settings.threshold.op === '>=' ? '≥' : settings.threshold.op;
	return {
		scale: settings.scale,
		rule:
			`${settings.scale} ${op} ${settings.threshold.value} at ${settings.consecutive} consecutive ` +
			`assessments ${settings.minDaysApart}–${settings.maxDaysApart} days apart, or ` +
			(settings.eventTerms.join(' or ') || 'no event'),
		remitted: observations.length,
		neverRemitted,
		curves,
		byArm
	};
}

// A few demo relapses (DOMAIN-2.md §6), so the participant timeline and the cohort's time-to-relapse
// curve show real events: a participant in remission, with no relapse yet, is assessed twice a week
// apart in the last three weeks with MADRS totals above the protocol's relapse threshold. Entered
// through the scales service (scored, flagged and audited like any unscheduled assessment); the
// relapse itself is found by the same detection as everywhere else, never written directly.
import type { Db } from '../db';
import * as participantsRepo from '../repositories/participants';
import * as sitesRepo from '../repositories/sites';
import * as studiesRepo from '../repositories/studies';
import { systemContext } from '../runtime/context';
import { recordScaleAdministration } from '../services/capture/scales';
import { relapseOutcomeOf } from '../services/dashboards/relapse-survival';
import { activeProtocol } from '../services/protocol/studies';
import { toLocalInput } from '../../domain/time';

const DAY = 86_400_000;

/** MADRS items (ten, 0–6 each) adding up to `total`. */
function madrsItems(total: number): Record<string, string> {
	return Object.fromEntries(
		Array.from({ length: 10 }, (_, i) => [
			String(i + 1),
			String(Math.floor(total / 10) + (i < total % 10 ? 1 : 0))
		])
	);
}

export async function seedDemoRelapses(db: Db, now: Date, wanted = 2): Promise<number> {
	const study = (await studiesRepo.listStudies(db))[0];
	if (!study) return 0;
	const { protocol } = await activeProtocol(db, study.id);
	if (protocol.relapse.scale !== 'MADRS' || protocol.relapse.threshold.op.startsWith('<')) {
		return 0;
	}
	const total = Math.min(60, protocol.relapse.threshold.value + 4);
	const first = new Date(now.getTime() - 16 * DAY);
	// A week apart, inside the rule's 5–15-day window (whatever the protocol sets, when it fits).
	const gapDays = Math.min(
		Math.max(7, protocol.relapse.minDaysApart),
		protocol.relapse.maxDaysApart
	);
	const at = (d: Date) => systemContext(db, 'demo', () => d);
	const participants = (await participantsRepo.listParticipants(db, { siteIds: 'all' })).filter(
		(p) => p.study_id === study.id && p.status === 'enrolled'
	);
	let seeded = 0;
	for (const p of participants) {
		if (seeded >= wanted) break;
		const outcome = await relapseOutcomeOf(at(now), p, protocol);
		const s = outcome?.survival;
		if (!s || s.event) continue;
		const lastAssessed = Date.parse(`${s.origin}T00:00:00Z`) + (s.days + 1) * DAY;

		// In remission for a month at least before the relapse begins, and not assessed since.
		const origin = Date.parse(`${s.origin}T00:00:00Z`);
		if (lastAssessed >= first.getTime() || origin + 28 * DAY > first.getTime()) continue;
		const site = (await sitesRepo.findSiteById(db, p.site_id))!;
		for (const when of [first, new Date(first.getTime() + gapDays * DAY)]) {
			if (when >= now) continue;
			await recordScaleAdministration(at(new Date(when.getTime() + 3600_000)), p.id, {
				instrument: 'MADRS',
				administeredAt: toLocalInput(when, site.timezone),
				items: madrsItems(total)
			});
		}
		seeded++;
	}
	return seeded;
}

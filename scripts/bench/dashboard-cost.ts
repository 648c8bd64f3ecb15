// `npx tsx scripts/bench/dashboard-cost.ts [--tier site] [--file F] [--runs N] [--only a,b]`: the
// cost of one request to each dashboard, the board, /audit and the JSON API lists, measured
// in-process on a built trial (the bench's builder; or a file built before, with --file). Each
// page's service is called as the bench's load calls the page (the admin for the cohort and safety
// signals; an auditor of every site for the API lists; site 01's investigator for the rest), one
// request at a time; the median and worst wall time and the median CPU time (this process and its
// threads) of N runs are printed, with the size of the view as JSON (what the page serialises). Not
// a load test: it shows what one view costs, which at c = 10 on two cores is about 5 × the p99.
import { existsSync, mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../../src/lib/server/db';
import { migrateToLatest } from '../../src/lib/server/db/migrate';
import type { ServiceContext, UserActor } from '../../src/lib/server/runtime/context';
import { systemContext } from '../../src/lib/server/runtime/context';
import {
	cohortPage,
	cohortPageReads,
	safetySignalsPage,
	safetySignalsPageReads
} from '../../src/lib/server/services/dashboards/dashboard-views';
import { participantTimeline } from '../../src/lib/server/services/dashboards/participant-timeline';
import { siteOverview } from '../../src/lib/server/services/dashboards/site-overview';
import { runPendingBackfills } from '../../src/lib/server/services/dashboards/summaries';
import { reviewQueue } from '../../src/lib/server/services/safety/review-queue';
import { exploreAuditTrail } from '../../src/lib/server/services/audit/audit';
import { listOpenSaeClocks } from '../../src/lib/server/services/capture/adverse-events';
import { listParticipantsPage } from '../../src/lib/server/services/capture/participants';
import {
	sdvProgressPage,
	sdvProgressView
} from '../../src/lib/server/services/monitoring/sdv-progress';
import { listSites } from '../../src/lib/server/services/people/sites';
import { boardPage } from '../../src/lib/server/services/safety/flag-board';
import { listFlagsPage, recentlyClosedFlags } from '../../src/lib/server/services/safety/flags';
import { buildTrial, TIERS, type Tier } from './build-trial';

const { values } = parseArgs({
	options: {
		tier: { type: 'string', default: 'site' },
		file: { type: 'string' },
		runs: { type: 'string', default: '7' },
		only: { type: 'string' }
	}
});
const tier = TIERS[values.tier as Tier['name']];
if (!tier) throw new Error(`--tier must be one of: ${Object.keys(TIERS).join(', ')}`);
const file = values.file ?? join(mkdtempSync(join(tmpdir(), 'vigil-cost-')), 'vigil.db');
if (!existsSync(file)) {
	const t = performance.now();
	await buildTrial(file, tier, `cost-${Math.random().toString(36).slice(2)}-Pass!`, console.log);
	console.log(`built ${file} in ${((performance.now() - t) / 1000).toFixed(0)} s`);
}
const opened = performance.now();
const { db } = openDatabase(file);
await migrateToLatest(db);
await runPendingBackfills(db);
const system = systemContext(db, 'bench');
const site01 = await db
	.selectFrom('site')
	.select('id')
	.where('code', '=', '01')
	.executeTakeFirstOrThrow();
const asUser = (role: UserActor['role'], siteIds: number[]): ServiceContext => ({
	...system,
	actor: { kind: 'user', id: 1, email: `${role}@bench`, name: role, role, siteIds }
});
const admin = asUser('admin', []);
const investigator = asUser('investigator', [site01.id]);
const everySite = (await db.selectFrom('site').select('id').execute()).map((s) => s.id);
const auditor = asUser('auditor', everySite);
const monitor = asUser('monitor', everySite);
const board = async (ctx: ServiceContext) => [
	await boardPage(ctx, { site: null, participant: null, level: null, unacknowledged: false }),
	await listSites(ctx),
	await recentlyClosedFlags(ctx, 20),
	await listOpenSaeClocks(ctx)
];
// A participant at site 01, whose timeline the investigator there may read (as the bench's load).
const someone = await db
	.selectFrom('participant')
	.select('id')
	.where('site_id', '=', site01.id)
	.orderBy('id')
	.executeTakeFirstOrThrow();
console.log(`opened (and migrated) in ${((performance.now() - opened) / 1000).toFixed(1)} s`);
const pages: Record<string, () => Promise<unknown>> = {
	// As the page's read job makes it (the first view after a write): the dashboard, then the relapse
	// curve under the same context; and as a view is given again while nothing has been written
	// (view-cache.ts: the bench's c = 10 pass, after its writers stop).
	cohort: () => cohortPageReads(admin, {}),
	'cohort, kept': () => cohortPage(admin, {}),
	// The same two ways: the read job (the first view after a write) and a view given again.
	'safety-signals': () => safetySignalsPageReads(admin, {}),
	'safety-signals, kept': () => safetySignalsPage(admin, {}),
	'site 01 overview': () => siteOverview(investigator, '01'),
	timeline: () => participantTimeline(investigator, someone.id),
	'review queue': () => reviewQueue(investigator, {}),
	// The board as its load reads it (the first page of cards, then the sites, the recently closed
	// flags and the reporting clocks), for site 01's investigator and for an auditor of every site.
	board: () => board(investigator),
	'board, all sites': () => board(auditor),
	'/audit': () => exploreAuditTrail(admin, { limit: 25 }),
	'api flags open': () => listFlagsPage(auditor, { open: true, limit: 100 }),
	'api flags closed': () => listFlagsPage(auditor, { open: false, limit: 100 }),
	'api participants': () => listParticipantsPage(auditor, { limit: 100 }),
	'api audit': () => exploreAuditTrail(admin, {}),
	// The explorer filtered to what few events match (opt in: --only 'audit rare'): a record type
	// and an action with 22 and 2,000 events among 3.4 M at the trial tier, a family of actions,
	// for the admin and for an auditor of every site.
	'/audit rare type': () => exploreAuditTrail(admin, { entityType: 'protocol_deviation' }),
	'/audit rare action': () => exploreAuditTrail(admin, { action: 'adverse_event.report_sent' }),
	'/audit rare family': () => exploreAuditTrail(admin, { action: 'protocol_deviation' }),
	'/audit rare type, auditor': () =>
		exploreAuditTrail(auditor, { entityType: 'protocol_deviation' }),
	'/audit rare action, auditor': () =>
		exploreAuditTrail(auditor, { action: 'adverse_event.report_sent' }),
	// And filtered to what many events match (--only 'audit common'): 581,500 and 943,000.
	'/audit common type': () => exploreAuditTrail(admin, { entityType: 'vital_reading' }),
	'/audit common family': () => exploreAuditTrail(admin, { action: 'flag' }),
	// /monitoring (every site, a page of one site's participants) and /api/v1/sdv-progress, from
	// sdv_record_status (2.3 s of CPU at the site tier and minutes at the trial tier before it).
	'sdv progress': () => sdvProgressView(monitor, {}),
	'api sdv progress': () => sdvProgressPage(monitor, { limit: 100 })
};
const OPT_IN = new Set(Object.keys(pages).filter((name) => /audit (rare|common)/.test(name)));
const only = values.only?.split(',');
const runs = Number(values.runs);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const [name, run] of Object.entries(pages)) {
	if (only ? !only.some((o) => name.includes(o)) : OPT_IN.has(name)) continue;
	const view = await run();
	const bytes = Buffer.byteLength(JSON.stringify(view) ?? '');
	const wall: number[] = [];
	const cpu: number[] = [];
	for (let i = 0; i < runs; i++) {
		const c = process.cpuUsage();
		const t = performance.now();
		await run();
		wall.push(performance.now() - t);
		const d = process.cpuUsage(c);
		cpu.push((d.user + d.system) / 1000);
	}
	console.log(
		`${name.padEnd(18)} median ${median(wall).toFixed(1)} ms, worst ${Math.max(...wall).toFixed(1)} ms,` +
			` CPU ${median(cpu).toFixed(1)} ms, view ${(bytes / 1024).toFixed(1)} KB`
	);
}
console.log(
	`load average ${loadavg()
		.map((x) => x.toFixed(2))
		.join(' / ')}`
);
await db.destroy();

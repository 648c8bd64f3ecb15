// `npx tsx scripts/bench/dashboard-cost.ts [--tier site] [--file F] [--runs N]`: the CPU cost of one
// request to each dashboard, measured in-process on a built trial (the bench's builder; or a file
// built before, with --file). A dashboard page's service is called with the system actor, one
// request at a time, and the median and worst of N runs are printed. Not a load test: it shows
// what one view costs, which at c = 10 on two cores is about a tenth of the p99.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../../src/lib/server/db';
import { systemContext } from '../../src/lib/server/runtime/context';
import { cohortDashboard } from '../../src/lib/server/services/dashboards/cohort';
import { participantTimeline } from '../../src/lib/server/services/dashboards/participant-timeline';
import { safetySignals } from '../../src/lib/server/services/dashboards/safety-signals';
import { siteOverview } from '../../src/lib/server/services/dashboards/site-overview';
import { buildTrial, TIERS, type Tier } from './build-trial';

const { values } = parseArgs({
	options: {
		tier: { type: 'string', default: 'site' },
		file: { type: 'string' },
		runs: { type: 'string', default: '7' }
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
const { db } = openDatabase(file);
const ctx = systemContext(db, 'bench');
const someone = await db
	.selectFrom('participant')
	.select('id')
	.orderBy('id', 'desc')
	.executeTakeFirstOrThrow();
const pages: Record<string, () => Promise<unknown>> = {
	cohort: () => cohortDashboard(ctx, {}),
	'safety-signals': () => safetySignals(ctx, {}),
	'site 01 overview': () => siteOverview(ctx, '01'),
	timeline: () => participantTimeline(ctx, someone.id)
};
const runs = Number(values.runs);
for (const [name, run] of Object.entries(pages)) {
	await run();
	const times: number[] = [];
	for (let i = 0; i < runs; i++) {
		const t = performance.now();
		await run();
		times.push(performance.now() - t);
	}
	times.sort((a, b) => a - b);
	const median = times[Math.floor(times.length / 2)]!;
	console.log(
		`${name.padEnd(18)} median ${median.toFixed(1)} ms, worst ${times.at(-1)!.toFixed(1)} ms`
	);
}
await db.destroy();

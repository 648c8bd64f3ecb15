// `npx tsx scripts/bench/export-memory.ts [--tier site|trial] [--file F] [--exports odm,vs,qs-xpt,bundle]`:
// runs exports of a built trial (the bench's builder; or a file built before, with --file) through
// the read workers exactly as the server does (reads/pool.ts: the export workers and their heap
// limits, EXPORT_WORKER_LIMITS), one at a time, each streamed to /dev/null, and prints for each its
// size, time and the growth of this process's resident memory (peak while it ran, less before it
// started; the workers are threads of this process, so their heaps count). An export worker that
// outgrows its limit is stopped by Node (ERR_WORKER_OUT_OF_MEMORY) and the export fails: an
// export that completes here completed under the limit. Not a test: at the trial tier the ODM
// file and the bundle take many minutes.
//
// `--together` runs the exports at once, as the bench's mixed load does, and `--dashboards` beside
// them an admin loading the cohort and safety-signal dashboards over and over (their reads run on
// the read workers too). Every 200 ms each thread's own memory is sampled (its V8 heap, and the
// buffers it holds outside the heap), so the growth of the whole process is split by thread: what
// the export workers, the read workers and this (the request) thread each added at their peak.
import { closeSync, existsSync, mkdtempSync, openSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ephemeralSigningKey } from '../../src/lib/server/audit/signing-key';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { threadMemory } from '../../src/lib/server/reads/messages';
import { EXPORT_WORKER_LIMITS, poolReads, ReadWorkerPool } from '../../src/lib/server/reads/pool';
import { cohortDashboard } from '../../src/lib/server/services/dashboards/cohort';
import { safetySignals } from '../../src/lib/server/services/dashboards/safety-signals';
import { systemContext, type ServiceContext } from '../../src/lib/server/runtime/context';
import { createAuditorBundle } from '../../src/lib/server/services/audit/bundle';
import {
	exportDomainCsv,
	exportDomainXpt,
	exportOdm
} from '../../src/lib/server/services/audit/exports';
import { buildTrial, TIERS, type Tier } from './build-trial';

const { values } = parseArgs({
	options: {
		tier: { type: 'string', default: 'site' },
		file: { type: 'string' },
		exports: { type: 'string', default: 'vs,odm,bundle' },
		together: { type: 'boolean', default: false },
		dashboards: { type: 'boolean', default: false }
	}
});
const tier = TIERS[values.tier as Tier['name']];
if (!tier) throw new Error(`--tier must be one of: ${Object.keys(TIERS).join(', ')}`);
const file = values.file ?? join(mkdtempSync(join(tmpdir(), 'vigil-export-memory-')), 'vigil.db');
if (!existsSync(file)) {
	const t = performance.now();
	await buildTrial(file, tier, `mem-${Math.random().toString(36).slice(2)}-Pass!`, console.log);
	console.log(`built ${file} in ${((performance.now() - t) / 1000).toFixed(0)} s`);
}

const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;
const { db } = openDatabase(file);
const pool = new ReadWorkerPool(file, { workers: 2 });
const reads = poolReads(pool);
const ctx: ServiceContext = { ...systemContext(db as Db, 'bench'), reads };
const admin: ServiceContext = {
	...ctx,
	actor: { kind: 'user', id: 1, email: 'admin@bench', name: 'admin', role: 'admin', siteIds: [] }
};

/** Each thread's own memory now: this one (the request thread) and every read worker. */
async function threads(): Promise<Map<string, number>> {
	const own = threadMemory();
	const out = new Map([['request thread', own.heapTotal + own.arrayBuffers]]);
	const counts = { reads: 0, exports: 0 };
	for (const w of await pool.memory()) {
		out.set(`${w.group} worker ${++counts[w.group]}`, w.heapTotal + w.arrayBuffers);
	}
	return out;
}

/** Each thread's peak growth over what it held when `start` was taken. */
function sampleThreads() {
	let start: Map<string, number> | null = null;
	const peak = new Map<string, number>();
	let busy = false;
	const sample = async () => {
		if (busy) return;
		busy = true;
		try {
			const now = await threads();
			start ??= now;
			for (const [k, v] of now) peak.set(k, Math.max(peak.get(k) ?? 0, v - (start.get(k) ?? v)));
		} finally {
			busy = false;
		}
	};
	const timer = setInterval(() => void sample(), 200);
	return {
		stop() {
			clearInterval(timer);
			return [...peak].map(([k, v]) => `${k} +${mb(v)} MB`).join(', ');
		}
	};
}
const key = ephemeralSigningKey();

/** Streams to /dev/null; bytes, seconds and the peak resident memory on the way. */
async function drain(stream: ReadableStream<Uint8Array>) {
	const out = openSync('/dev/null', 'w');
	let peak = process.memoryUsage.rss();
	const sample = () => (peak = Math.max(peak, process.memoryUsage.rss()));
	const sampler = setInterval(sample, 50);
	const t = performance.now();
	let bytes = 0;
	try {
		for await (const chunk of stream) {
			writeSync(out, chunk);
			bytes += chunk.length;
			sample();
		}
	} finally {
		clearInterval(sampler);
		closeSync(out);
	}
	return { bytes, seconds: (performance.now() - t) / 1000, peak };
}

const EXPORTS: Record<string, () => Promise<ReadableStream<Uint8Array>>> = {
	vs: async () => (await exportDomainCsv(ctx, 'VS', {})).stream,
	'qs-xpt': async () => (await exportDomainXpt(ctx, 'QS', {})).stream,
	odm: async () => (await exportOdm(ctx, {})).stream,
	bundle: async () => (await createAuditorBundle(ctx, {}, { key })).stream
};

console.log(`export workers' heap limits: ${JSON.stringify(EXPORT_WORKER_LIMITS)}`);
let failed = false;
try {
	// The workers start with the first read (as the bench's warm-up export does for the server).
	await drain((await exportDomainCsv(ctx, 'DM', {})).stream);
	const names = values.exports!.split(',');
	for (const name of names) {
		if (!EXPORTS[name]) {
			throw new Error(`--exports: no export ${name} (${Object.keys(EXPORTS).join(', ')})`);
		}
	}
	const run = async (name: string, before: number) => {
		try {
			const r = await drain(await EXPORTS[name]!());
			console.log(
				`${name}: ${mb(r.bytes)} MB in ${r.seconds.toFixed(1)} s; resident memory ${mb(before)} MB before, growth ${mb(r.peak - before)} MB`
			);
		} catch (e) {
			failed = true;
			console.log(`${name}: FAILED (${e instanceof Error ? e.message : String(e)})`);
		}
	};
	let dashboardsRunning = values.dashboards;
	let views = 0;
	const dashboards = (async () => {
		while (dashboardsRunning) {
			await cohortDashboard(admin, {});
			await safetySignals(admin, {});
			views += 2;
		}
	})();
	const sampler = sampleThreads();
	try {
		if (values.together) {
			const before = process.memoryUsage.rss();
			await Promise.all(names.map((name) => run(name, before)));
		} else {
			for (const name of names) await run(name, process.memoryUsage.rss());
		}
	} finally {
		dashboardsRunning = false;
		await dashboards;
		if (values.dashboards) console.log(`dashboards: ${views} views loaded meanwhile`);
		console.log(`each thread's peak growth: ${sampler.stop()}`);
	}
} finally {
	await reads.close();
	await db.destroy();
}
process.exitCode = failed ? 1 : 0;

// `npx tsx scripts/bench/export-memory.ts [--tier site|trial] [--file F] [--exports odm,vs,bundle]`:
// runs exports of a built trial (the bench's builder; or a file built before, with --file) through
// the read workers exactly as the server does (reads/pool.ts: the export workers and their heap
// limits, EXPORT_WORKER_LIMITS), one at a time, each streamed to /dev/null, and prints for each its
// size, time and the growth of this process's resident memory (peak while it ran, less before it
// started; the workers are threads of this process, so their heaps count). An export worker that
// outgrows its limit is stopped by Node (ERR_WORKER_OUT_OF_MEMORY) and the export fails: an
// export that completes here completed under the limit. Not a test: at the trial tier the ODM
// file and the bundle take many minutes.
import { closeSync, existsSync, mkdtempSync, openSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ephemeralSigningKey } from '../../src/lib/server/audit/signing-key';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { EXPORT_WORKER_LIMITS, workerReads } from '../../src/lib/server/reads/pool';
import { systemContext, type ServiceContext } from '../../src/lib/server/runtime/context';
import { createAuditorBundle } from '../../src/lib/server/services/audit/bundle';
import { exportDomainCsv, exportOdm } from '../../src/lib/server/services/audit/exports';
import { buildTrial, TIERS, type Tier } from './build-trial';

const { values } = parseArgs({
	options: {
		tier: { type: 'string', default: 'site' },
		file: { type: 'string' },
		exports: { type: 'string', default: 'vs,odm,bundle' }
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
const reads = workerReads(file, { workers: 2 });
const ctx: ServiceContext = { ...systemContext(db as Db, 'bench'), reads };
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
	odm: async () => (await exportOdm(ctx, {})).stream,
	bundle: async () => (await createAuditorBundle(ctx, {}, { key })).stream
};

console.log(`export workers' heap limits: ${JSON.stringify(EXPORT_WORKER_LIMITS)}`);
let failed = false;
try {
	// The workers start with the first read (as the bench's warm-up export does for the server).
	await drain((await exportDomainCsv(ctx, 'DM', {})).stream);
	for (const name of values.exports!.split(',')) {
		const open = EXPORTS[name];
		if (!open) throw new Error(`--exports: no export ${name} (${Object.keys(EXPORTS).join(', ')})`);
		const before = process.memoryUsage.rss();
		try {
			const r = await drain(await open());
			console.log(
				`${name}: ${mb(r.bytes)} MB in ${r.seconds.toFixed(1)} s; resident memory ${mb(before)} MB before, growth ${mb(r.peak - before)} MB`
			);
		} catch (e) {
			failed = true;
			console.log(`${name}: FAILED (${e instanceof Error ? e.message : String(e)})`);
		}
	}
} finally {
	await reads.close();
	await db.destroy();
}
process.exitCode = failed ? 1 : 0;

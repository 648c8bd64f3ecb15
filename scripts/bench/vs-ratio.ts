// `npx tsx scripts/bench/vs-ratio.ts --file F [--runs 5] [--nice 10] [--young 8] [--old 48]
// [--built build/read-worker/chunks/read-worker.js]`: the VS CSV export through an export worker
// (the worker's nice value and heap limits as given; the built worker instead of the sources with
// --built) against the bench's raw scan of the same rows, interleaved run by run, by wall time
// and by this process's CPU (every thread: the worker, this thread and V8's helpers), with each
// thread's CPU per run and, at the end, each worker's memory before and after a collection on this
// thread (run with `node --expose-gc --import tsx` for the second: the chunks an export moved
// here stay counted in its worker's buffers until this thread collects them).
import { readdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { poolReads, ReadWorkerPool, EXPORT_WORKER_LIMITS } from '../../src/lib/server/reads/pool';
import { systemContext, type ServiceContext } from '../../src/lib/server/runtime/context';
import { exportDomainCsv } from '../../src/lib/server/services/audit/exports';
import { vsRawScan } from './baselines';

const { values } = parseArgs({
	options: {
		file: { type: 'string' },
		runs: { type: 'string', default: '5' },
		nice: { type: 'string', default: '10' },
		young: { type: 'string' },
		old: { type: 'string' },
		built: { type: 'string' }
	}
});
const file = values.file!;
const { db, sqlite } = openDatabase(file);
const nice = Number(values.nice);
const pool = new ReadWorkerPool(file, {
	workers: 2,
	...(values.built && {
		entry: { url: pathToFileURL(values.built), typescript: false }
	}),
	nice: { reads: Math.min(nice, 5), exports: nice },
	exportLimits: {
		maxYoungGenerationSizeMb: Number(values.young ?? EXPORT_WORKER_LIMITS.maxYoungGenerationSizeMb),
		maxOldGenerationSizeMb: Number(values.old ?? EXPORT_WORKER_LIMITS.maxOldGenerationSizeMb)
	}
});
const reads = poolReads(pool);
const ctx: ServiceContext = { ...systemContext(db as Db, 'bench'), reads };

async function drain(stream: ReadableStream<Uint8Array>) {
	let lines = 0;
	let bytes = 0;
	for await (const chunk of stream) {
		bytes += chunk.length;
		for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
	}
	return { lines, bytes };
}

/** CPU ms of each thread of this process, by thread id, with its name. */
function threads(): Map<string, { name: string; ms: number }> {
	const out = new Map<string, { name: string; ms: number }>();
	for (const tid of readdirSync('/proc/self/task')) {
		try {
			const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
			const close = stat.lastIndexOf(')');
			const name = stat.slice(stat.indexOf('(') + 1, close);
			const f = stat.slice(close + 2).split(' ');
			out.set(tid, { name, ms: ((Number(f[11]) + Number(f[12])) * 1000) / 100 });
		} catch {
			// gone
		}
	}
	return out;
}
function threadDelta(a: Map<string, { name: string; ms: number }>, b: typeof a): string {
	return [...b]
		.map(([tid, v]) => ({ tid, name: v.name, ms: v.ms - (a.get(tid)?.ms ?? 0) }))
		.filter((x) => x.ms >= 20)
		.sort((x, y) => y.ms - x.ms)
		.map((x) => `${x.name}#${x.tid} ${x.ms}`)
		.join(', ');
}

const cpu = () => {
	const u = process.cpuUsage();
	return (u.user + u.system) / 1000;
};
await drain((await exportDomainCsv(ctx, 'DM', {})).stream);
await drain((await exportDomainCsv(ctx, 'AE', {})).stream);
const ratios: {
	wall: number;
	cpu: number;
	rawMs: number;
	vsMs: number;
	rawCpu: number;
	vsCpu: number;
}[] = [];
for (let i = 0; i < Number(values.runs); i++) {
	let t = performance.now();
	let c = cpu();
	const raw = vsRawScan(sqlite);
	const rawMs = performance.now() - t;
	const rawCpu = cpu() - c;
	const file = await exportDomainCsv(ctx, 'VS', {});
	t = performance.now();
	c = cpu();
	const th = threads();
	const vs = await drain(file.stream);
	const perThread = threadDelta(th, threads());
	const vsMs = performance.now() - t;
	const vsCpu = cpu() - c;
	const vsRows = vs.lines - 1;
	if (vsRows !== raw.rows) console.log(`rows differ: export ${vsRows}, raw ${raw.rows}`);
	const r = {
		wall: vsRows / vsMs / (raw.rows / rawMs),
		cpu: vsRows / vsCpu / (raw.rows / rawCpu),
		rawMs,
		vsMs,
		rawCpu,
		vsCpu
	};
	ratios.push(r);
	console.log(
		`run ${i + 1}: raw ${rawMs.toFixed(0)} ms (CPU ${rawCpu.toFixed(0)}), VS ${vsMs.toFixed(0)} ms (CPU ${vsCpu.toFixed(0)}), ${vsRows} rows, ${(vs.bytes / 1048576).toFixed(1)} MB; ratio wall ${r.wall.toFixed(3)}, CPU ${r.cpu.toFixed(3)}`
	);
	console.log(`  threads: ${perThread}`);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(
	`median ratio: wall ${median(ratios.map((r) => r.wall)).toFixed(3)}, CPU ${median(ratios.map((r) => r.cpu)).toFixed(3)}`
);
const show = async (label: string) => {
	for (const w of await pool.memory()) {
		console.log(
			`${w.group} worker: heap used ${(w.heapUsed / 1048576).toFixed(1)} MB of ${(w.heapTotal / 1048576).toFixed(1)}, array buffers ${(w.arrayBuffers / 1048576).toFixed(1)} MB (${label})`
		);
	}
};
await show('before a collection on this thread');
(globalThis as { gc?: () => void }).gc?.();
await new Promise((r) => setTimeout(r, 200));
await show('after');
await reads.close();
await db.destroy();

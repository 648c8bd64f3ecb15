// Loaded into the benchmarked server with `node --import`: the event loop's delay, measured by
// perf_hooks.monitorEventLoopDelay inside the server process. SIGUSR2 writes the histogram since
// the last signal to VIGIL_BENCH_LOOP_FILE (milliseconds), with the exports' own memory growth over
// the same time (exportMemoryMb, below) and the request thread's garbage collections (gc, below),
// and starts a new one.
// With VIGIL_BENCH_CPU_PROFILE set, the first SIGUSR2 also starts a CPU profile of the request
// thread (node:inspector) and the second writes it to that file (the bench signals once before
// the mixed load and once after it), and beside it FILE.stalls.json: each time the event loop was
// held STALL_MS or longer while the profile ran, when (on the profile's clock) and for how long,
// so `scripts/bench/stalls.mjs FILE` can say what ran in each, the request thread's garbage
// collections over the same time (count and pause by kind, and the longest pauses), and how far
// the process's resident memory and the request thread's heap and buffers grew above where they
// started (sampled every 250 ms): what of the server's growth is the request thread's own.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

const file = process.env.VIGIL_BENCH_LOOP_FILE;
const profileFile = process.env.VIGIL_BENCH_CPU_PROFILE;
const histogram = monitorEventLoopDelay({ resolution: 10 });
histogram.enable();
const ms = (/** @type {number} */ ns) => Math.round((ns / 1e6) * 10) / 10;
/** @type {Session | null} */
let profiler = null;

/**
 * An export's own memory beside the rest of the server's, sampled every 250 ms from one SIGUSR2 to
 * the next and written with the histogram as the peak growth over the first sample: the export
 * workers' heaps (every open read pool's, summed: reads/pool.ts registers them under this symbol)
 * and the request thread's external memory, where the chunks an export worker moves to the
 * request thread stay until a collection there frees them (the viewers' and writers' requests
 * hold about 5 MB there; a sample of the request thread's heap would be theirs).
 */
const POOLS = Symbol.for('vigil.readWorkerPools');
/** @typedef {{ memory(): Promise<Array<{ group: string, heapTotal: number }>> }} Pool */
async function exportWorkersHeap() {
	const pools = /** @type {Set<Pool> | undefined} */ (
		/** @type {Record<symbol, unknown>} */ (/** @type {unknown} */ (globalThis))[POOLS]
	);
	let bytes = 0;
	for (const pool of pools ?? []) {
		for (const w of await pool.memory()) if (w.group === 'exports') bytes += w.heapTotal;
	}
	return bytes;
}
/** @typedef {{ workers: number, external: number }} ExportMemory */
/** @type {{ start: ExportMemory | null, peak: ExportMemory & { both: number } }} */
let exportMemory = { start: null, peak: { workers: 0, external: 0, both: 0 } };
let sampling = false;
async function sampleExportMemory() {
	if (sampling) return;
	sampling = true;
	try {
		const now = { workers: await exportWorkersHeap(), external: process.memoryUsage().external };
		const m = exportMemory;
		if (!m.start) {
			m.start = now;
			return;
		}
		const workers = now.workers - m.start.workers;
		const external = now.external - m.start.external;
		m.peak.workers = Math.max(m.peak.workers, workers);
		m.peak.external = Math.max(m.peak.external, external);
		m.peak.both = Math.max(m.peak.both, workers + external);
	} catch {
		// a worker stopped or restarting: the next sample
	} finally {
		sampling = false;
	}
}
if (file) setInterval(() => void sampleExportMemory(), 250).unref();
const mb = (/** @type {number} */ bytes) => Math.round((bytes / 1048576) * 10) / 10;
let signals = 0;

/** A timer every TICK_MS: one that fires STALL_MS late or more marks a stall since the last. */
const TICK_MS = 5;
const STALL_MS = 20;
/** Microseconds on the monotonic clock, as V8's profiles stamp their samples. */
const nowUs = () => Number(process.hrtime.bigint() / 1000n);
/** @type {Array<{ from: number, to: number }>} */
let stalls = [];
/** @type {NodeJS.Timeout | undefined} */
let ticker;
/** @type {Record<number, string>} */
const GC_KINDS = {
	[constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
	[constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
	[constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
	[constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks'
};
/**
 * The request thread's collections from one SIGUSR2 to the next, always (the loop file's `gc`): per
 * kind, how many, their pauses summed and the longest, in ms (wall time: on a loaded machine a
 * pause includes time the thread waited for a core).
 */
/** @type {Record<string, { count: number, ms: number, maxMs: number }>} */
let loopGc = {};
const loopGcObserver = new PerformanceObserver((list) => {
	for (const e of list.getEntries()) {
		const { detail } = /** @type {PerformanceEntry & { detail?: { kind?: number } }} */ (e);
		const k = (loopGc[GC_KINDS[detail?.kind ?? -1] ?? 'other'] ??= { count: 0, ms: 0, maxMs: 0 });
		k.count++;
		k.ms += e.duration;
		k.maxMs = Math.max(k.maxMs, e.duration);
	}
});
if (file) loopGcObserver.observe({ entryTypes: ['gc'] });
/** Per kind of collection: how many, and their pauses in ms; and the longest pauses. */
/** @type {{ kinds: Record<string, { count: number, ms: number }>, longest: Array<{ kind: string, ms: number, from: number }> }} */
let gc = { kinds: {}, longest: [] };
const gcObserver = new PerformanceObserver((list) => {
	for (const e of list.getEntries()) {
		const { detail } = /** @type {PerformanceEntry & { detail?: { kind?: number } }} */ (e);
		const kind = GC_KINDS[detail?.kind ?? -1] ?? 'other';
		const k = (gc.kinds[kind] ??= { count: 0, ms: 0 });
		k.count++;
		k.ms += e.duration;
		// performance.now() is milliseconds since timeOrigin; stamped in the profile's microseconds.
		const from = Math.round((performance.timeOrigin + e.startTime) * 1000) - clockOffsetUs;
		gc.longest.push({ kind, ms: Math.round(e.duration * 10) / 10, from });
		if (gc.longest.length > 200) {
			gc.longest.sort((a, b) => b.ms - a.ms);
			gc.longest.length = 20;
		}
	}
});
/** Peak growth over the first sample (MB) of the process's RSS and the request thread's memory. */
/** @type {{ start: Record<string, number>, growth: Record<string, number> } | null} */
let memory = null;
/** @type {NodeJS.Timeout | undefined} */
let memoryTimer;
const MB = 1048576;
function sampleMemory() {
	const { rss, heapTotal, heapUsed, external, arrayBuffers } = process.memoryUsage();
	const now = { rss, heapTotal, heapUsed, external, arrayBuffers };
	memory ??= { start: now, growth: {} };
	for (const [k, v] of Object.entries(now)) {
		const g = Math.round(((v - /** @type {number} */ (memory.start[k])) / MB) * 10) / 10;
		memory.growth[k] = Math.max(memory.growth[k] ?? 0, g);
	}
}
/** The monotonic clock less the wall clock that performance.timeOrigin is on, in µs. */
let clockOffsetUs = 0;
function watchStalls() {
	stalls = [];
	clockOffsetUs = Math.round((performance.timeOrigin + performance.now()) * 1000) - nowUs();
	gc = { kinds: {}, longest: [] };
	gcObserver.observe({ entryTypes: ['gc'] });
	memory = null;
	sampleMemory();
	memoryTimer = setInterval(sampleMemory, 250);
	memoryTimer.unref();
	let last = nowUs();
	ticker = setInterval(() => {
		const t = nowUs();
		if ((t - last) / 1000 - TICK_MS >= STALL_MS) stalls.push({ from: last, to: t });
		last = t;
	}, TICK_MS);
	ticker.unref();
}
process.on('SIGUSR2', () => {
	if (file) {
		writeFileSync(
			file,
			JSON.stringify({
				p50: ms(histogram.percentile(50)),
				p99: ms(histogram.percentile(99)),
				max: ms(histogram.max),
				count: histogram.count,
				gc: Object.fromEntries(
					Object.entries(loopGc).map(([kind, k]) => [
						kind,
						{ count: k.count, ms: Math.round(k.ms), maxMs: Math.round(k.maxMs * 10) / 10 }
					])
				),
				exportMemoryMb: {
					workers: mb(exportMemory.peak.workers),
					requestExternal: mb(exportMemory.peak.external),
					both: mb(exportMemory.peak.both)
				}
			})
		);
		exportMemory = { start: null, peak: { workers: 0, external: 0, both: 0 } };
		loopGc = {};
	}
	histogram.reset();
	signals++;
	if (!profileFile) return;
	if (signals === 1) {
		watchStalls();
		const session = (profiler = new Session());
		session.connect();
		session.post('Profiler.enable', () =>
			session.post('Profiler.setSamplingInterval', { interval: 1000 }, () =>
				session.post('Profiler.start')
			)
		);
	} else if (signals === 2 && profiler) {
		const session = profiler;
		clearInterval(ticker);
		clearInterval(memoryTimer);
		gcObserver.disconnect();
		gc.longest.sort((a, b) => b.ms - a.ms);
		gc.longest.length = Math.min(gc.longest.length, 20);
		for (const k of Object.values(gc.kinds)) k.ms = Math.round(k.ms);
		session.post('Profiler.stop', (err, result) => {
			if (!err) {
				writeFileSync(profileFile, JSON.stringify(result.profile));
				writeFileSync(
					`${profileFile}.stalls.json`,
					JSON.stringify({ stalls, gc, memoryGrowthMb: memory?.growth })
				);
			}
			session.disconnect();
		});
	}
});

// Loaded into the benchmarked server with `node --import`: the event loop's delay, measured by
// perf_hooks.monitorEventLoopDelay inside the server process. SIGUSR2 writes the histogram since
// the last signal to VIGIL_BENCH_LOOP_FILE (milliseconds) and starts a new one.
// With VIGIL_BENCH_CPU_PROFILE set, the first SIGUSR2 also starts a CPU profile of the request
// thread (node:inspector) and the second writes it to that file (the bench signals once before
// the mixed load and once after it).
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.VIGIL_BENCH_LOOP_FILE;
const profileFile = process.env.VIGIL_BENCH_CPU_PROFILE;
const histogram = monitorEventLoopDelay({ resolution: 10 });
histogram.enable();
const ms = (ns) => Math.round((ns / 1e6) * 10) / 10;
let profiler = null;
let signals = 0;
process.on('SIGUSR2', () => {
	if (file) {
		writeFileSync(
			file,
			JSON.stringify({
				p50: ms(histogram.percentile(50)),
				p99: ms(histogram.percentile(99)),
				max: ms(histogram.max),
				count: histogram.count
			})
		);
	}
	histogram.reset();
	signals++;
	if (!profileFile) return;
	if (signals === 1) {
		profiler = new Session();
		profiler.connect();
		profiler.post('Profiler.enable', () =>
			profiler.post('Profiler.setSamplingInterval', { interval: 1000 }, () =>
				profiler.post('Profiler.start')
			)
		);
	} else if (signals === 2 && profiler) {
		profiler.post('Profiler.stop', (err, result) => {
			if (!err) writeFileSync(profileFile, JSON.stringify(result.profile));
			profiler.disconnect();
		});
	}
});

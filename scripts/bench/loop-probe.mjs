// Loaded into the benchmarked server with `node --import`: the event loop's delay, measured by
// perf_hooks.monitorEventLoopDelay inside the server process. SIGUSR2 writes the histogram since
// the last signal to VIGIL_BENCH_LOOP_FILE (milliseconds) and starts a new one.
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.VIGIL_BENCH_LOOP_FILE;
const histogram = monitorEventLoopDelay({ resolution: 10 });
histogram.enable();
const ms = (ns) => Math.round((ns / 1e6) * 10) / 10;
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
});

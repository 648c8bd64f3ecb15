// `node scripts/bench/fsyncs.mjs FILE [--pid PID]`: how long the server's threads waited in fsync.
// FILE is what Linux's `perf trace` wrote while the bench ran, e.g. in a second shell once the
// server has started (its command line names the bench's private build, .bench-builds/…):
//
//   perf trace -p "$(pgrep -n -f '\.bench-builds/')" -e fsync,fdatasync -o /tmp/fsyncs.txt
//
// At synchronous=FULL every commit's fsync of the write-ahead log runs inside COMMIT on the thread
// that commits (the request thread): the event loop waits for the disk for as long as it takes.
// The server now commits at NORMAL and syncs the WAL after COMMIT on Node's thread pool (db/wal.ts,
// dc0e295): its fdatasync calls show on the pool's threads (`node/<tid>`), the request thread's
// own only at start. `perf trace -p` attached at the server's start saw none of those here (the
// pool's threads start later): attach after the first save. Prints, per call and file descriptor
// (the writer's WAL is the one with most), the count, the total time, p50/p95/p99/max and how
// many took 20 ms or more (on the request thread, each an event-loop stall of its own). --pid
// keeps the calls of that thread only.
// `ls -l /proc/PID/fd` while the server runs says which file each descriptor is.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
	allowPositionals: true,
	options: { pid: { type: 'string' } }
});
const file = positionals[0];
if (!file) {
	console.error('usage: node scripts/bench/fsyncs.mjs FILE [--pid PID]');
	process.exit(2);
}

// `  12.345 ( 5.211 ms): node/1234 fsync(fd: 18) = 0` (the thread's name and id are left out when
// perf traces one thread).
const LINE = /^\s*([\d.]+) \(\s*([\d.]+) ms\): (?:\S+\/(\d+) )?(fsync|fdatasync)\(fd: (\d+)/;
/** @type {Map<string, number[]>} */
const byFd = new Map();
let first = Infinity;
let last = 0;
for (const line of readFileSync(file, 'utf8').split('\n')) {
	const m = LINE.exec(line);
	if (!m) continue;
	if (values.pid && m[3] && m[3] !== values.pid) continue;
	const at = Number(m[1]);
	first = Math.min(first, at);
	last = Math.max(last, at);
	const fd = `${m[4]}(fd ${m[5]})`;
	const times = byFd.get(fd) ?? [];
	times.push(Number(m[2]));
	byFd.set(fd, times);
}
if (byFd.size === 0) {
	console.log('no fsync or fdatasync calls in', file);
	process.exit(0);
}
/** @param {number[]} sorted @param {number} p */
const pct = (sorted, p) =>
	sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
/** @param {number} n */
const fixed = (n) => n.toFixed(1);
console.log(`over ${((last - first) / 1000).toFixed(0)} s of calls:`);
for (const [fd, times] of [...byFd].sort((a, b) => b[1].length - a[1].length)) {
	const sorted = [...times].sort((a, b) => a - b);
	const total = sorted.reduce((s, t) => s + t, 0);
	console.log(
		`${fd}: ${sorted.length} calls, ${(total / 1000).toFixed(1)} s in all; p50 ${fixed(pct(sorted, 50))}, ` +
			`p95 ${fixed(pct(sorted, 95))}, p99 ${fixed(pct(sorted, 99))}, max ${fixed(pct(sorted, 100))} ms; ` +
			`≥ 20 ms: ${sorted.filter((t) => t >= 20).length}, ≥ 50 ms: ${sorted.filter((t) => t >= 50).length}`
	);
}
